import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// `stacklab load amqp://` against a RabbitMQ node of the `kind: rabbitmq` recipe, for what a user meets besides
/// a good run: a wrong password is one line, and a broker killed mid-run is counted and the run still ends.
@Suite(
    .serialized,
    .enabled(if: BrokerKindTests.rabbitMQInstalled, "rabbitmq-server is not installed (stacklab install rabbitmq)"))
struct AMQPLoadTests {
    let ports = PortAllocator()

    /// A node of its own with the password `right`, started and ready.
    func startNode(_ supervisor: ProcessSupervisor, queueType: String) async throws -> (ChildProcess, Int) {
        let plan = try ComponentRecipe.plan(
            Component(name: "rabbit", kind: .rabbitmq, settings: ["password": "right", "queue_type": queueType]),
            in: LocalPlanContext(
                port: try ports.next(), binDirectory: KindConformanceTests.binDirectory,
                runDirectory: supervisor.runDirectory, ports: ports))
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(120))
        return (child, plan.port)
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test func aWrongPasswordIsOneClearLine() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let (_, port) = try await startNode(supervisor, queueType: "classic")
        let outcome = try CommandRunner.run(
            ["load", "amqp://stacklab:wrong@127.0.0.1:\(port)", "-d", "1s", "-q"], timeout: 60)
        await supervisor.stopAll()
        #expect(outcome.exitCode == 1 || outcome.exitCode == 2, "\(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("403 ACCESS_REFUSED"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("check the user, password"), "\(outcome.stderr)")
    }

    @Test func aBrokerKilledMidRunIsCountedAndTheRunEndsOnTime() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let (child, port) = try await startNode(supervisor, queueType: "quorum")
        let json = supervisor.runDirectory.appendingPathComponent("load.json")
        let arguments = [
            "load", "amqp://stacklab:right@127.0.0.1:\(port)/?queue_type=quorum", "-r", "500", "-d", "4s",
            "--subscriptions", "2", "--message-size", "256", "--json", json.path, "-q",
        ]
        // On a thread of its own: a blocking run on the concurrency pool could hold back the kill below until the
        // run is over when other tests' runs hold the pool's other threads.
        async let finished = Self.onThread { try CommandRunner.run(arguments, timeout: 90) }
        try await Task.sleep(for: .milliseconds(2_000))
        supervisor.kill(child)
        let outcome = try await finished
        await supervisor.stopAll()
        // Ended by itself, its result written: not stopped by the runner's timeout.
        let data = try #require(
            FileManager.default.contents(atPath: json.path), "no result: exit \(outcome.exitCode), \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error"), "\(outcome.stderr)")
        let result = try JSONDecoder().decode(LoadResult.self, from: data)
        let messaging = try #require(result.messaging)
        #expect(result.requests.completed > 0, "messages were confirmed before the kill")
        #expect(result.errors.total > 0, "the kill is counted: \(result.errors)")
        #expect(messaging.sent > result.requests.completed)
        #expect(messaging.subscriptions.allSatisfy { $0.disconnects > 0 }, "\(messaging.subscriptions)")
    }
}
