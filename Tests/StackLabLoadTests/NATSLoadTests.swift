import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad

/// Messaging runs against a real nats-server that each test starts; serialized because they measure time.
@Suite(.serialized, .enabled(if: NATSServer.isInstalled, "\(NATSServer.missing)"))
struct NATSLoadTests {
    func options(
        _ url: String, _ messaging: Workload.Messaging, rate: Double, seconds: Double = 1
    ) throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: url))
        options.messaging = messaging
        options.threads = 2
        options.durationNanoseconds = Int64(seconds * 1e9)
        options.timeoutNanoseconds = 2_000_000_000
        options.arrival = .openLoop(.constant(rate: rate, nanoseconds: options.durationNanoseconds))
        return options
    }

    @Test func everySubscriptionReceivesEveryMessageInOrder() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        let messaging = Workload.Messaging(
            topics: 2, producersPerTopic: 2, subscriptionsPerTopic: 2, messageSize: 256, inFlight: 64)
        let run = try await LoadEngine(
            options: try options("nats://127.0.0.1:\(server.port)", messaging, rate: 2_000)
        ).run()
        let result = run.result
        let summary = try #require(result.messaging)
        #expect(result.target.method == "PUB")
        #expect(result.target.connections == 4, "one connection per producer")
        #expect(summary.sent == 2_000, "the open loop's every message, none held back")
        #expect(result.requests.completed == 2_000, "every message acknowledged by its PONG")
        #expect(result.errors.total == 0)
        #expect(summary.subscriptions.count == 4)
        for subscription in summary.subscriptions {
            // Each topic has half the producers, so half the messages; each of its subscriptions gets them all.
            #expect(subscription.expected == 1_000, "\(subscription.subject)")
            #expect(subscription.received == subscription.expected, "\(subscription.subject)")
            #expect(subscription.lost == 0 && subscription.duplicated == 0 && subscription.outOfOrder == 0)
        }
        #expect(
            abs(summary.messagesOutPerSecond - 2 * summary.messagesInPerSecond) < 0.02 * summary.messagesInPerSecond)
        #expect(summary.endToEnd.p50 > 0)
        #expect(run.latency.totalCount == 2_000, "publish latency: one per message")
    }

    @Test func theConsumersOfOneSubscriptionShareItsMessagesWithHeaders() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        // HPUB and HMSG: the stamp is found after the headers.
        let messaging = Workload.Messaging(
            consumersPerSubscription: 3, messageSize: 64, headers: [.init(name: "X-Run", value: "1")])
        let summary = try #require(
            try await LoadEngine(options: try options("nats://127.0.0.1:\(server.port)", messaging, rate: 1_000))
                .run().result.messaging)
        let subscription = try #require(summary.subscriptions.first)
        #expect(summary.consumers == 3)
        #expect(subscription.received == 1_000 && subscription.lost == 0 && subscription.duplicated == 0)
    }

    @Test func jetStreamAcknowledgesEveryStoredMessageAndPullConsumersGetThemAll() async throws {
        let server = try NATSServer(jetstream: true)
        defer { server.stop() }
        let messaging = Workload.Messaging(subscriptionsPerTopic: 2, messageSize: 128, jetstream: true)
        let result = try await LoadEngine(
            options: try options("nats://127.0.0.1:\(server.port)", messaging, rate: 1_000)
        ).run().result
        let summary = try #require(result.messaging)
        #expect(summary.acknowledgement == "puback")
        #expect(result.errors.total == 0)
        #expect(summary.sent == 1_000 && result.requests.completed == 1_000)
        for subscription in summary.subscriptions {
            #expect(subscription.received == 1_000 && subscription.lost == 0 && subscription.outOfOrder == 0)
        }
        // The stream is on disk in the server's store.
        #expect(FileManager.default.fileExists(atPath: server.directory.appendingPathComponent("js/jetstream").path))
    }

    @Test func jetStreamWithoutJetStreamIsOneClearLine() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        let engine = LoadEngine(
            options: try options(
                "nats://127.0.0.1:\(server.port)", Workload.Messaging(jetstream: true), rate: 100))
        let error = try await #require(throws: UserError.self) { try await engine.run() }
        #expect(
            error.message
                == "127.0.0.1:\(server.port) has no JetStream (nothing answers $JS.API.STREAM.DELETE.STACKLAB_stacklab_0); "
                + "turn it on with jetstream: true on the nats component")
    }

    @Test func wrongCredentialsAreOneClearLine() async throws {
        let server = try NATSServer(user: "lab", password: "right")
        defer { server.stop() }
        let engine = LoadEngine(
            options: try options("nats://lab:wrong@127.0.0.1:\(server.port)", Workload.Messaging(), rate: 100))
        let error = try await #require(throws: UserError.self) { try await engine.run() }
        #expect(error.message == "NATS login to 127.0.0.1:\(server.port) failed: Authorization Violation")
        // The right password logs in.
        let result = try await LoadEngine(
            options: try options("nats://lab:right@127.0.0.1:\(server.port)", Workload.Messaging(), rate: 100)
        ).run().result
        #expect(result.messaging?.lost == 0 && result.messaging?.sent == 100)
    }

    @Test func aBrokerKilledMidRunIsCountedAndTheRunEndsOnTime() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        let engine = LoadEngine(
            options: try options("nats://127.0.0.1:\(server.port)", Workload.Messaging(), rate: 1_000, seconds: 3))
        let started = Date()
        Task.detached {
            try await Task.sleep(nanoseconds: 1_000_000_000)
            server.kill()
        }
        let result = try await engine.run().result
        let elapsed = Date().timeIntervalSince(started)
        let summary = try #require(result.messaging)
        let subscription = try #require(summary.subscriptions.first)
        // The window's 3 s, the drain's timeout (2 s) and the wait for late deliveries: never a hang.
        #expect(elapsed < 3 + 2 + 5 + 5, "the run took \(elapsed) s")
        #expect(result.errors.total > 0, "the messages due after the kill failed")
        #expect(subscription.disconnects == 1)
        #expect(subscription.received < 3_000 && subscription.received > 0)
        #expect(subscription.lost == summary.sent - subscription.received)
    }

    @Test func aSlowConsumerMeetsBackPressureNotAGrowingClient() async throws {
        let server = try NATSServer(maxPending: 256 * 1_024)
        defer { server.stop() }
        let messaging = Workload.Messaging(messageSize: 4_096, inFlight: 256, consumerRate: 100)
        let started = Date()
        let result = try await LoadEngine(
            options: try options("nats://127.0.0.1:\(server.port)", messaging, rate: 5_000, seconds: 2)
        ).run().result
        let elapsed = Date().timeIntervalSince(started)
        let subscription = try #require(result.messaging?.subscriptions.first)
        // The broker pushed back: it stalled the producer (its publish latency grew, the in-flight window filled
        // and messages due were never sent) or cut the consumer off as a slow consumer.
        let stalled = result.achievedRate < 0.5 * 5_000 && result.requests.unsent > 0
        #expect(stalled || server.log.contains("Slow Consumer"), "\(result.achievedRate)/s, \(server.log)")
        // The consumer read at its own pace (100/s): what it did not read stayed in the kernel and the broker,
        // not in this process, and counts as lost when the run ends.
        #expect(Double(subscription.received) <= 100 * elapsed + 100, "received \(subscription.received)")
        #expect(subscription.received < subscription.expected / 2)
        #expect(subscription.lost == subscription.expected - subscription.received)
    }
}
