import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad
@testable import StackLabLocal

/// The durability drill with a real RabbitMQ node: persistent messages published in confirm mode to a durable
/// queue, kill -9 mid-run, restart on the same mnesia directory and ports, the queue emptied back.
@Suite(.serialized)
struct RabbitMQDurabilityDrillTests {
    static let installed = RabbitMQRecipe.serverScript() != nil

    func drill(_ settings: [String: String]) async throws -> RecoveryDrill {
        try await RecipeStart.killDrill(Component(name: "rabbit", kind: .rabbitmq, settings: settings))
    }

    @Test(
        .enabled(
            if: RabbitMQDurabilityDrillTests.installed, "rabbitmq-server is not installed (stacklab install rabbitmq)"),
        arguments: [
            ("classic", "durable classic queue, persistent messages"),
            ("quorum", "quorum queue, persistent messages"),
        ])
    func confirmedPersistentMessagesSurviveTheKill(queueType: String, mode: String) async throws {
        let drill = try await drill(["queue_type": queueType, "durability": "true"])
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        let durability = try #require(drill.durability)
        #expect(durability.mode == mode)
        #expect(durability.confirmed > 100, "the producer was confirmed \(durability.confirmed) messages")
        #expect(durability.lost == 0)
        #expect(durability.duplicated == 0 && durability.outOfOrder == 0)
        #expect(drill.passed)
    }

    /// The frames the drill writes by hand are the ones StackLabLoad's AMQP codec encodes or decodes.
    @Test func theDrillsFramesAreAMQP() throws {
        #expect(
            try frames(RabbitMQDrillConnection.declareFrame("q", type: "quorum")) == [
                .method(
                    channel: 1,
                    .queueDeclare(.init(queue: "q", durable: true, arguments: ["x-queue-type": .string("quorum")])))
            ])
        #expect(
            try frames(RabbitMQDrillConnection.publishFrames(Array("17".utf8), to: "q"))
                == AMQPFrame.publish(
                    channel: 1, routingKey: "q", properties: .init(deliveryMode: 2), body: Array("17".utf8)))
        let startOk = try frames(RabbitMQDrillConnection.startOkFrame(user: "lab", password: "pw")).first
        guard case .method(0, .connectionStartOk(let properties, "PLAIN", let response, "en_US"))? = startOk else {
            Issue.record("no Connection.StartOk")
            return
        }
        #expect(response == Array("\u{0}lab\u{0}pw".utf8))
        guard case .table(let capabilities)? = properties["capabilities"] else {
            Issue.record("no capabilities in the client properties")
            return
        }
        #expect(capabilities["publisher_confirms"] == AMQPFieldTable.Value.bool(true))
        #expect(capabilities["authentication_failure_close"] == AMQPFieldTable.Value.bool(true))
        // Basic.Get (class 60, method 70), which the load engine does not speak: reserved short, queue, no-ack.
        #expect(
            RabbitMQDrillConnection.getFrame("q") == [
                1, 0, 1, 0, 0, 0, 9, 0, 60, 0, 70, 0, 0, 1, UInt8(ascii: "q"), 1, 0xCE,
            ])
    }

    @Test func durabilityIsChecked() throws {
        let error = #expect(throws: UserError.self) {
            try RabbitMQRecipe.check(Component(name: "mq", kind: .rabbitmq, settings: ["durability": "yes"]))
        }
        #expect(error?.message == "component 'mq': durability 'yes' is not true or false")
    }

    private func frames(_ bytes: [UInt8]) throws -> [AMQPFrame] {
        var parser = AMQPFrameParser()
        var frames: [AMQPFrame] = []
        var offset = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let step = try parser.parse(buffer, from: offset)
                offset += step.consumed
                if let frame = step.frame { frames.append(frame) }
            }
        }
        return frames
    }
}
