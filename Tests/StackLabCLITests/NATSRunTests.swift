import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` and `stacklab load` with NATS end to end: the recipe starts an empty nats-server with a user,
/// the engine publishes and subscribes, every message is accounted for, and nothing is left running.
@Suite(.serialized, .enabled(if: NATSServer.isInstalled, "\(NATSServer.missing)"))
struct NATSRunTests {
    static let spec = """
        name: bus
        repeats: 1
        workload: { protocol: nats, subscriptions_per_topic: 2, message_size: 128, rate: 500, duration: 1s, threads: 1 }
        components:
          bus: { kind: nats, settings: { user: lab, password: s3cret } }
        variants:
          core: [bus]
        """

    @Test func runStartsNATSAccountsForEveryMessageAndStopsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-bus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bus.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 120)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        let load = try #require(record.trials.first?.load)
        let messaging = try #require(load.messaging)
        // The runner logged in with the entry component's user and password.
        #expect(load.errors.total == 0)
        #expect(messaging.sent == 500)
        #expect(messaging.subscriptions.count == 2)
        #expect(messaging.subscriptions.allSatisfy { $0.received == 500 && $0.lost == 0 && $0.outOfOrder == 0 })
        #expect(ProcessTree.processes(workingUnder: directory).isEmpty)
    }

    @Test func loadCommandPrintsTheMessagingSummary() throws {
        let server = try NATSServer()
        defer { server.stop() }
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("nats-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let url = "nats://127.0.0.1:\(server.port)"
        let outcome = try CommandRunner.run([
            "load", url, "--rate", "200", "-d", "1s", "--subscriptions", "2", "--message-size", "64", "--json",
            json.path, "-q",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("stacklab load PUB \(url)"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("end to end"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("200 sent · lost 0 · duplicated 0 · out of order 0"), "\(outcome.stdout)")
        let result = try JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: json))
        #expect(result.messaging?.subscriptions.map(\.received) == [200, 200])

        let bad = try CommandRunner.run(["load", url, "--message-size", "8", "-d", "1s"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--message-size must be between 24"), "\(bad.stderr)")
    }
}
