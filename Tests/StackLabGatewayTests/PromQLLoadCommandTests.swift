import Foundation
import StackLabCore
import StackLabLoad
import StackLabLocal
import StackLabTestSupport
import Testing

/// `stacklab load URL --promql QUERY` against a real Prometheus scraping a synthetic target: the query is asked
/// once before load, sent at the rate given and answered without error; one the backend cannot parse stops the
/// command before any load with the backend's message; options that do not go together are refused by name.
@Suite(.serialized)
struct PromQLLoadCommandTests {
    /// Runs `stacklab load` with `arguments` after the URL; the outcome and the result file's path.
    static func load(_ url: String, _ arguments: [String]) throws -> (CommandRunner.Outcome, URL) {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("promql-\(UUID().uuidString).json")
        let outcome = try CommandRunner.run(["load", url] + arguments + ["-q", "--json", json.path], timeout: 60)
        return (outcome, json)
    }

    @Test func sendsAnInstantAndARangeQueryWithoutError() async throws {
        guard Gateways.requireInstalled(.prometheus) else { return }
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 40))
        let backend = try await MetricsBackendTests.Backend.start(.prometheus, targets: targets)
        _ = try await backend.wait(for: "min(up)") { $0.values.first == 1 }
        let url = "http://127.0.0.1:\(backend.plan.port)"
        for extra in [[], ["--query-range", "1h", "--query-step", "15s"]] {
            let (outcome, json) = try Self.load(
                url,
                ["--promql", "sum(rate(stacklab_synthetic_requests_total[1m]))", "--rate", "20", "-d", "2s"] + extra)
            defer { try? FileManager.default.removeItem(at: json) }
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
            let result = try JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: json))
            #expect(result.requests.completed >= 30, "\(extra): \(result.requests)")
            #expect(result.errors.total == 0, "\(extra): \(result.errors)")
        }
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    @Test func aQueryThatDoesNotParseStopsBeforeLoad() async throws {
        guard Gateways.requireInstalled(.prometheus) else { return }
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 10))
        let backend = try await MetricsBackendTests.Backend.start(.prometheus, targets: targets)
        let (outcome, json) = try Self.load(
            "http://127.0.0.1:\(backend.plan.port)", ["--promql", "rate(up[5m]", "--rate", "20", "-d", "2s"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("--promql: query"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("parse error"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: json.path))
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    @Test func refusesOptionsThatDoNotGoTogether() throws {
        let cases: [([String], String)] = [
            (["redis://127.0.0.1:1", "--promql", "up"], "--promql needs an http://"),
            (["http://127.0.0.1:1", "--promql", "up", "-X", "POST"], "leave out -X and --body"),
            (["http://127.0.0.1:1", "--promql", " "], "--promql is empty"),
            (["http://127.0.0.1:1", "--query-range", "1h"], "go with --promql"),
            (["http://127.0.0.1:1", "--promql", "up", "--query-step", "15s"], "--query-step needs --query-range"),
            (["http://127.0.0.1:1", "--promql", "up", "--query-range", "1.5s"], "must be whole seconds"),
        ]
        for (arguments, message) in cases {
            let outcome = try CommandRunner.run(["load"] + arguments + ["-d", "1s", "-q"], timeout: 30)
            #expect(outcome.exitCode == 2, "\(arguments)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
    }
}
