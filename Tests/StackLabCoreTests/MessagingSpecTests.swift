import Testing

@testable import StackLabCore

/// `protocol: nats` workloads in the OpenMessaging Benchmark's terms: their keys, defaults and mistakes.
struct MessagingSpecTests {
    static let yaml = """
        name: messaging
        workloads:
          fanout:
            protocol: nats
            topics: 2
            producers_per_topic: 1
            subscriptions_per_topic: 4
            message_size: 1024
            rate: 1000/s
            duration: 10s
          json: { path: /json, rate: 100 }
        components:
          bus: { kind: nats, settings: { jetstream: true } }
          app: { kind: app, runtime: swift }
        variants:
          nats: [bus]
          app: [app]
        """

    @Test func aMessagingWorkloadRunsOnTheNATSVariant() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.variantsByWorkload.map(\.variants) == [["nats"], ["app"]])
        let fanout = try #require(spec.workloads?.first).workload
        let messaging = try #require(fanout.messaging)
        #expect(fanout.wireProtocol == .nats)
        #expect(messaging.topics == 2 && messaging.subscriptionsPerTopic == 4 && messaging.messageSize == 1_024)
        #expect(messaging.consumersPerSubscription == 1 && messaging.inFlight == 256)
        #expect(fanout.connections == 2, "one connection per producer")
        #expect(fanout.summary.hasPrefix("nats 2 topics, 1 producer and 4 subscriptions per topic, 1024 B messages"))
    }

    @Test(arguments: [
        ("message_size: 1024", "message_size: 10", "e.yaml:8: workloads.fanout.message_size: must be at least 24"),
        ("topics: 2", "topics: 2\n    path: /json", "e.yaml:6: workloads.fanout.path: not a key of protocol nats"),
        (
            "topics: 2", "topics: 2\n    connections: 8",
            "e.yaml:6: workloads.fanout.connections: not a key of protocol nats"
        ),
        (
            "topics: 2", "topics: 2\n    subject_prefix: 'a b'",
            "e.yaml:6: workloads.fanout.subject_prefix: not a subject"
        ),
        ("topics: 2", "topics: 0", "e.yaml:5: workloads.fanout.topics: must be at least 1"),
        (
            "path: /json,", "path: /json, topics: 2,",
            "e.yaml:11: workloads.json.topics: only with protocol: nats, mqtt or amqp"
        ),
    ])
    func mistakesNameTheirLineAndKey(_ original: String, _ replacement: String, _ expected: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix(expected) }, "\(error.lines)")
    }
}

/// `protocol: mqtt` workloads: the messaging keys with `qos`, checked where they are wrong.
struct MQTTSpecTests {
    static let yaml = """
        name: iot
        workload: { protocol: mqtt, qos: 2, subscriptions_per_topic: 2, rate: 100 }
        components:
          broker: { kind: mosquitto }
        variants:
          mosquitto: [broker]
        """

    @Test func anMQTTWorkloadRunsOnMosquittoAtItsQoS() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.workload.wireProtocol == .mqtt)
        let messaging = try #require(spec.workload.messaging)
        #expect(messaging.qos == 2 && messaging.subscriptionsPerTopic == 2)
        let defaulted = try ExperimentSpec(yaml: Self.yaml.replacingOccurrences(of: "qos: 2, ", with: ""), file: "e")
        #expect(defaulted.workload.messaging?.qos == 1, "QoS 1 by default")
    }

    @Test(arguments: [
        ("qos: 2", "qos: 3", "e.yaml:2: workload.qos: must be at most 2"),
        ("qos: 2", "qos: 1, jetstream: true", "e.yaml:2: workload.jetstream: only with protocol: nats"),
        ("protocol: mqtt", "protocol: nats", "e.yaml:2: workload.qos: only with protocol: mqtt"),
        ("qos: 2", "qos: 2, subject_prefix: 'a/+'", "e.yaml:2: workload.subject_prefix: not an MQTT topic"),
    ])
    func mistakesNameTheirKey(_ original: String, _ replacement: String, _ expected: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix(expected) }, "\(error.lines)")
    }
}
