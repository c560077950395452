import Testing

@testable import StackLabCore

/// `protocol: amqp` workloads: the messaging keys with `prefetch` and `persistent`, against a `kind: rabbitmq`
/// entry, checked where they are wrong.
struct AMQPSpecTests {
    static let yaml = """
        name: queues
        workload: { protocol: amqp, prefetch: 50, subscriptions_per_topic: 2, rate: 100 }
        components:
          broker: { kind: rabbitmq, settings: { queue_type: quorum } }
        variants:
          rabbitmq: [broker]
        """

    @Test func anAMQPWorkloadRunsOnRabbitMQPersistentByDefault() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.workload.wireProtocol == .amqp && spec.workload.wireProtocol.isMessaging)
        let messaging = try #require(spec.workload.messaging)
        #expect(messaging.prefetch == 50 && messaging.persistent == true && messaging.subscriptionsPerTopic == 2)
        #expect(messaging.qos == nil)
        let defaulted = try ExperimentSpec(
            yaml: Self.yaml.replacingOccurrences(of: "prefetch: 50", with: "persistent: false"), file: "e")
        #expect(defaulted.workload.messaging?.prefetch == Workload.Messaging.defaultPrefetch)
        #expect(defaulted.workload.messaging?.persistent == false)
    }

    @Test(arguments: [
        ("prefetch: 50", "prefetch: 0", "e.yaml:2: workload.prefetch: must be at least 1"),
        ("prefetch: 50", "prefetch: 70000", "e.yaml:2: workload.prefetch: must be at most 65,535"),
        ("prefetch: 50", "qos: 1", "e.yaml:2: workload.qos: only with protocol: mqtt"),
        ("prefetch: 50", "jetstream: true", "e.yaml:2: workload.jetstream: only with protocol: nats"),
        ("protocol: amqp", "protocol: nats", "e.yaml:2: workload.prefetch: only with protocol: amqp"),
        ("prefetch: 50", "subject_prefix: amq.x", "e.yaml:2: workload.subject_prefix: not an exchange name"),
        ("prefetch: 50", "subject_prefix: 'a b'", "e.yaml:2: workload.subject_prefix: not an exchange name"),
        ("prefetch: 50", "connections: 4", "e.yaml:2: workload.connections: not a key of protocol amqp"),
    ])
    func mistakesNameTheirKey(_ original: String, _ replacement: String, _ expected: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix(expected) }, "\(error.lines)")
    }
}
