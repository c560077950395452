import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` with AMQP end to end: the `kind: rabbitmq` recipe starts an empty node, one producer publishes
/// persistent messages in confirm mode to its topic's fanout exchange, two subscriptions (a queue each, of the
/// component's queue type) receive every message in order (exact accounting), and nothing is left running.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/lib/rabbitmq/bin/rabbitmq-server"),
        "rabbitmq-server is not installed (stacklab install rabbitmq)"))
struct AMQPRunTests {
    static func spec(queueType: String) -> String {
        """
        name: queues
        repeats: 1
        workload:
          protocol: amqp
          subscriptions_per_topic: 2
          message_size: 128
          rate: 400
          duration: 1s
          threads: 1
        components:
          broker: { kind: rabbitmq, settings: { queue_type: \(queueType) } }
        variants:
          rabbitmq: [broker]
        """
    }

    @Test(arguments: ["classic", "quorum"])
    func runFansOutToEverySubscriptionAndAccountsForEveryMessage(queueType: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-queues-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("queues.yaml")
        try Self.spec(queueType: queueType).write(to: file, atomically: true, encoding: .utf8)
        let validated = try CommandRunner.run(["validate", file.path])
        #expect(validated.exitCode == 0, "\(validated.stdout)\(validated.stderr)")
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        let load = try #require(record.trials.first?.load)
        let messaging = try #require(load.messaging)
        #expect(load.errors.total == 0, "\(load.errors)")
        #expect(messaging.acknowledgement == "basic.ack")
        #expect(messaging.producers == 1)
        #expect(messaging.sent == 400, "the open loop's every message")
        #expect(load.requests.completed == 400, "every message confirmed")
        #expect(messaging.subscriptions.count == 2, "one producer fanned out to two subscriptions")
        for subscription in messaging.subscriptions {
            #expect(
                subscription.expected == 400 && subscription.received == 400 && subscription.lost == 0
                    && subscription.duplicated == 0 && subscription.outOfOrder == 0, "\(subscription)")
        }
        #expect(messaging.endToEnd.p50 > 0)
        #expect(messaging.blocked == nil)
        #expect(ProcessTree.processes(workingUnder: directory).isEmpty)
    }
}
