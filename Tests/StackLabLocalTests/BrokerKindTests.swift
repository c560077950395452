import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad
@testable import StackLabLocal

/// The message brokers as the lab runs them: each starts empty in its run directory, passes a small real exchange
/// spoken with StackLabLoad's framing over a plain socket, and stops with no process left; RabbitMQ nodes share
/// nothing with each other.
@Suite(.serialized)
struct BrokerKindTests {
    static let rabbitMQInstalled = RabbitMQRecipe.serverScript() != nil
    static let mosquittoInstalled = ExecutableLookup.find("mosquitto", includeSystemDirectories: true) != nil

    let ports = PortAllocator()

    func makePlan(_ component: Component, in supervisor: ProcessSupervisor) throws -> LocalComponentPlan {
        try ComponentRecipe.plan(
            component,
            in: LocalPlanContext(
                port: try ports.next(), binDirectory: KindConformanceTests.binDirectory,
                runDirectory: supervisor.runDirectory, ports: ports))
    }

    // MARK: RabbitMQ

    /// Login, a channel, a queue of `type`, a persistent message published in confirm mode and acknowledged by
    /// the broker, then consumed and acknowledged: the message that comes back is the one sent.
    func amqpExchange(_ endpoint: ComponentEndpoint, queue: String, type: String) throws {
        let socket = try BrokerSocket(port: endpoint.port)
        let frameMax = try socket.amqpLogin(
            user: try #require(endpoint.user), password: try #require(endpoint.password))
        try socket.send(.method(channel: 1, .channelOpen))
        #expect(try socket.nextMethod() == .channelOpenOk)
        try socket.send(.method(channel: 1, .confirmSelect))
        #expect(try socket.nextMethod() == .confirmSelectOk)
        try socket.send(
            .method(
                channel: 1,
                .queueDeclare(.init(queue: queue, durable: true, arguments: ["x-queue-type": .string(type)]))))
        #expect(try socket.nextMethod() == .queueDeclareOk(queue: queue, messageCount: 0, consumerCount: 0))

        // Larger than a frame: the body goes in several frames.
        let body = (0..<(Int(frameMax) + 1000)).map { UInt8($0 % 253) }
        let frames = AMQPFrame.publish(
            channel: 1, routingKey: queue, properties: .init(deliveryMode: 2, messageID: "m-1"), body: body,
            frameMax: frameMax)
        #expect(frames.count == 4)
        try socket.send(frames.flatMap { $0.encoded() })
        #expect(try socket.nextMethod() == .basicAck(deliveryTag: 1, multiple: false), "the publish is confirmed")

        try socket.send(
            .method(
                channel: 1,
                .basicConsume(queue: queue, consumerTag: "t", noAck: false, exclusive: false, arguments: [:])))
        #expect(try socket.nextMethod() == .basicConsumeOk(consumerTag: "t"))
        guard case .basicDeliver("t", let tag, false, "", queue) = try socket.nextMethod() else {
            Issue.record("no Basic.Deliver of the message")
            return
        }
        guard case .header(1, let header) = try socket.nextFrame() else {
            Issue.record("no content header after Basic.Deliver")
            return
        }
        #expect(header.bodySize == UInt64(body.count) && header.properties.messageID == "m-1")
        var received: [UInt8] = []
        while received.count < body.count {
            guard case .body(1, let piece) = try socket.nextFrame() else { break }
            received += piece
        }
        #expect(received == body)
        try socket.send(.method(channel: 1, .basicAck(deliveryTag: tag, multiple: false)))
        try socket.send(.method(channel: 0, .connectionClose(.init(replyCode: 200, replyText: "bye"))))
        #expect(try socket.nextMethod() == .connectionCloseOk)
    }

    @Test(
        .enabled(if: BrokerKindTests.rabbitMQInstalled, "rabbitmq-server is not installed (stacklab install rabbitmq)"))
    func rabbitMQStartsEmptyExchangesAndLeavesNothing() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let plan = try makePlan(
            Component(name: "rabbit", kind: .rabbitmq, settings: ["queue_type": "quorum"]), in: supervisor)
        let home = supervisor.runDirectory.appendingPathComponent("rabbit")
        let mnesia = try #require(plan.dataDirectory)
        #expect(!FileManager.default.fileExists(atPath: mnesia.path), "the node starts with no database")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent(".erlang.cookie").path))
        #expect(plan.command.environment["HOME"] == home.path)
        let epmdPort = try #require(plan.command.environment["ERL_EPMD_PORT"].flatMap(Int.init))
        // Its own epmd and distribution ports, not the system node's 4369 and 25672 (taken when one runs).
        let distributionPort = try #require(plan.command.environment["RABBITMQ_DIST_PORT"].flatMap(Int.init))
        #expect(Set([plan.port, distributionPort, epmdPort]).count == 3 && epmdPort != 4369)

        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(120))
        try amqpExchange(plan.endpoint, queue: "stacklab-quorum", type: "quorum")
        #expect(FileManager.default.fileExists(atPath: mnesia.path), "the node keeps its database in the run directory")

        let running = processes(withHome: home.path)
        let names = Set(running.map(\.name))
        #expect(names.contains("beam.smp") && names.contains("epmd"), "the node's processes: \(running)")
        // All under the started process, where the resource sampler counts them and a stop finds them even without
        // a cgroup: no epmd daemonized away from the node.
        let tree = Set([child.pid] + ProcessTree.descendants(of: child.pid))
        #expect(running.allSatisfy { tree.contains($0.pid) }, "outside the node's process tree: \(running)")
        #expect(ReadinessProbe.tcp(port: epmdPort).check() == nil, "its own epmd answers on \(epmdPort)")

        await supervisor.stop(child)
        let left = processes(withHome: home.path)
        #expect(left.isEmpty, "left running after the stop: \(left)")
        #expect(!ProcessTree.isRunning(child.pid))
        #expect(ReadinessProbe.tcp(port: epmdPort).check() != nil, "its epmd stopped with it")
    }

    @Test(
        .enabled(if: BrokerKindTests.rabbitMQInstalled, "rabbitmq-server is not installed (stacklab install rabbitmq)"))
    func twoRabbitMQNodesRunSideBySideSharingNothing() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let first = try makePlan(Component(name: "rabbit-a", kind: .rabbitmq), in: supervisor)
        let second = try makePlan(Component(name: "rabbit-b", kind: .rabbitmq), in: supervisor)
        for key in ["RABBITMQ_NODENAME", "RABBITMQ_DIST_PORT", "ERL_EPMD_PORT", "HOME"] {
            #expect(first.command.environment[key] != second.command.environment[key], "both share \(key)")
        }
        let cookies = try ["rabbit-a", "rabbit-b"].map {
            try String(
                contentsOf: supervisor.runDirectory.appendingPathComponent("\($0)/.erlang.cookie"), encoding: .utf8)
        }
        #expect(cookies[0] != cookies[1])

        async let startFirst = supervisor.start(first.command, readiness: first.readiness, timeout: .seconds(180))
        async let startSecond = supervisor.start(second.command, readiness: second.readiness, timeout: .seconds(180))
        let (a, _) = try await (startFirst, startSecond)
        try amqpExchange(first.endpoint, queue: "q", type: "classic")
        try amqpExchange(second.endpoint, queue: "q", type: "classic")

        // One stopped, the other goes on.
        await supervisor.stop(a)
        #expect(processes(withHome: supervisor.runDirectory.appendingPathComponent("rabbit-a").path).isEmpty)
        #expect(second.readiness.check() == nil)
        try amqpExchange(second.endpoint, queue: "q2", type: "classic")
        await supervisor.stopAll()
        #expect(processes(withHome: supervisor.runDirectory.appendingPathComponent("rabbit-b").path).isEmpty)
    }

    @Test(
        .enabled(if: BrokerKindTests.rabbitMQInstalled, "rabbitmq-server is not installed (stacklab install rabbitmq)"))
    func aWrongPasswordIsRefusedInOneClearLine() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let plan = try makePlan(
            Component(name: "rabbit", kind: .rabbitmq, settings: ["password": "right"]), in: supervisor)
        _ = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(120))
        let socket = try BrokerSocket(port: plan.port)
        let refusal = #expect(throws: AMQPRefusal.self) { try socket.amqpLogin(user: "stacklab", password: "wrong") }
        let line = refusal.map(String.init(describing:)) ?? ""
        #expect(line.contains("403 ACCESS_REFUSED") && line.contains("check the user, password"), "\(line)")
        #expect(!line.contains("\n"))
        // The right password gets in.
        try BrokerSocket(port: plan.port).amqpLogin(user: "stacklab", password: "right")
        await supervisor.stopAll()
    }

    @Test func rabbitMQSettingsAreChecked() throws {
        let directory = makeRunDirectory()
        let cases: [([String: String], String)] = [
            (["queue_type": "stream"], "queue_type 'stream' is not one of classic, quorum"),
            (["queues": "quorum"], "unknown setting 'queues'; rabbitmq takes user, password, queue_type, durability"),
            (["password": "has space"], "password must be letters, digits"),
            (["user": ""], "user must be letters, digits"),
        ]
        for (settings, message) in cases {
            let error = #expect(throws: UserError.self) {
                try RabbitMQRecipe.check(Component(name: "mq", kind: .rabbitmq, settings: settings))
            }
            #expect(error?.message.hasPrefix("component 'mq': ") == true && error?.message.contains(message) == true)
        }
        // Only what is in rabbitmq.conf is kept with a run's results: the password is not in it.
        let text = RabbitMQRecipe.configuration(
            Component(name: "mq", kind: .rabbitmq, resources: Resources(both: .init(memory: 1_000_000_000))),
            node: .init(
                name: "n@localhost", amqpPort: 5999, distributionPort: 6000, epmdPort: 6001, directory: directory))
        #expect(text.contains("listeners.tcp.1 = 127.0.0.1:5999"))
        #expect(text.contains("vm_memory_high_watermark.absolute = 400000000"))
        #expect(!text.contains("pass"))
    }

    // MARK: Mosquitto

    @Test(.enabled(if: BrokerKindTests.mosquittoInstalled, "mosquitto is not installed (stacklab install mosquitto)"))
    func mosquittoStartsEmptyExchangesQoS1And2AndLeavesNothing() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let plan = try makePlan(
            Component(name: "mqtt", kind: .mosquitto, settings: ["persistence": "true"]), in: supervisor)
        let data = try #require(plan.dataDirectory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty, "the broker starts empty")
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))

        let subscriber = try BrokerSocket(port: plan.port)
        try subscriber.send(.connect(.init(clientID: "sub", cleanSession: false)))
        #expect(try subscriber.nextPacket() == .connack(sessionPresent: false, returnCode: .accepted))
        try subscriber.send(.subscribe(packetID: 1, subscriptions: [.init(topicFilter: "lab/+", qos: .exactlyOnce)]))
        #expect(try subscriber.nextPacket() == .suback(packetID: 1, returnCodes: [2]))

        let publisher = try BrokerSocket(port: plan.port)
        try publisher.send(.connect(.init(clientID: "pub")))
        #expect(try publisher.nextPacket() == .connack(sessionPresent: false, returnCode: .accepted))
        // QoS 1: PUBACK.
        let first = Array("at least once".utf8)
        try publisher.send(.publish(.init(topic: "lab/a", payload: first, qos: .atLeastOnce, packetID: 7)))
        #expect(try publisher.nextPacket() == .puback(packetID: 7))
        guard case .publish(let delivered) = try subscriber.nextPacket() else {
            Issue.record("the subscriber got no PUBLISH")
            return
        }
        #expect(delivered.topic == "lab/a" && delivered.payload == first && delivered.qos == .atLeastOnce)
        try subscriber.send(.puback(packetID: try #require(delivered.packetID)))
        // QoS 2: PUBREC, PUBREL, PUBCOMP on both sides.
        let second = Array("exactly once".utf8)
        try publisher.send(.publish(.init(topic: "lab/b", payload: second, qos: .exactlyOnce, packetID: 8)))
        #expect(try publisher.nextPacket() == .pubrec(packetID: 8))
        try publisher.send(.pubrel(packetID: 8))
        #expect(try publisher.nextPacket() == .pubcomp(packetID: 8))
        guard case .publish(let exactly) = try subscriber.nextPacket(), let id = exactly.packetID else {
            Issue.record("the subscriber got no QoS 2 PUBLISH")
            return
        }
        #expect(exactly.payload == second && exactly.qos == .exactlyOnce)
        try subscriber.send(.pubrec(packetID: id))
        #expect(try subscriber.nextPacket() == .pubrel(packetID: id))
        try subscriber.send(.pubcomp(packetID: id))
        try publisher.send(.pingreq)
        #expect(try publisher.nextPacket() == .pingresp)
        try publisher.send(.disconnect)
        try subscriber.send(.disconnect)

        let forked = ProcessTree.descendants(of: child.pid)
        await supervisor.stop(child)
        #expect(([child.pid] + forked).filter { ProcessTree.isRunning($0) }.isEmpty)
        // With persistence the store is written in the run directory when the broker stops.
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("mosquitto.db").path))
    }

    @Test func mosquittoSettingsAreCheckedAndItsProbeIsAnMQTTConnect() throws {
        let directory = makeRunDirectory()
        let error = #expect(throws: UserError.self) {
            try MosquittoRecipe.configuration(
                Component(name: "m", kind: .mosquitto, settings: ["persistence": "yes"]), port: 1, directory: directory,
                asRoot: false)
        }
        #expect(error?.message == "component 'm': persistence 'yes' is not true or false")
        let text = try MosquittoRecipe.configuration(
            Component(name: "m", kind: .mosquitto), port: 18_830, directory: directory, asRoot: true)
        #expect(text.contains("listener 18830 127.0.0.1\n") && text.contains("persistence false\n"))
        #expect(text.contains("allow_anonymous true\n") && text.contains("user root\n"))
        // The readiness probe (StackLabLocal cannot import the framing) sends what the framing encodes.
        guard case .handshake(_, "MQTT", let sent, let expected) = MosquittoRecipe.readiness(port: 1) else {
            Issue.record("mosquitto's readiness is not an MQTT handshake")
            return
        }
        #expect(sent == MQTTPacket.connect(.init(clientID: MosquittoRecipe.probeClientID, keepAlive: 10)).encoded())
        #expect(expected == [0x20, 0x02, nil, 0x00])
        guard case .handshake(_, "AMQP", let header, _) = RabbitMQRecipe.readiness(port: 1) else {
            Issue.record("rabbitmq's readiness is not an AMQP handshake")
            return
        }
        #expect(header == AMQPFrame.protocolHeader)
    }
}
