import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab compare --fail-on` as a CI job runs it, on real short runs of the Swift reference app: a known 2 ms
/// regression fails the gate, runs of one stack pass it, and a baseline kept as an exported file works the same.
@Suite(.serialized)
struct GateRunTests {
    /// Three trials of 2 s at 200 requests/s: what a CI job can afford, and the fewest the gate decides with.
    /// The delayed run's experiment carries its own gate (`gate: ["p50>+1ms"]`).
    static func yaml(delay: String?) -> String {
        let settings = delay.map { "{ db: sqlite, delay: \($0) }" } ?? "{ db: sqlite }"
        return """
            name: gate-check
            repeats: 3
            \(delay == nil ? "" : "gate: [\"p50>+1ms\"]")
            workload: { path: /json, rate: 200/s, connections: 4, duration: 2s, warmup: 500ms }
            components:
              app: { kind: app, runtime: swift, settings: \(settings) }
            variants:
              direct: [app]
            """
    }

    /// Runs the experiment into `store`; the new run's id.
    static func run(delay: String?, store: String, runs: URL) throws -> String {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString).yaml")
        try yaml(delay: delay).write(to: spec, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: spec) }
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 240)
        try #require(outcome.exitCode == 0, "\(outcome.stderr)")
        // `run ID, stored in STORE`
        let line = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("run ") && $0.contains(", stored in") }
        let id = line?.dropFirst("run ".count).prefix { $0 != "," }
        return String(try #require(id, "\(outcome.stdout)"))
    }

    @Test func aTwoMillisecondRegressionFailsAndRunsOfOneStackPass() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("store.sqlite").path
        let runs = directory.appendingPathComponent("runs")
        let same = try (0..<3).map { _ in try Self.run(delay: nil, store: store, runs: runs) }
        let slow = try Self.run(delay: "2ms", store: store, runs: runs)
        #expect(ProcessTree.described(withArgument: runs.path).isEmpty)

        // The injected delay fails the default rules, with the verdict first and the table after it.
        let junit = directory.appendingPathComponent("gate.xml").path
        let summary = directory.appendingPathComponent("gate.md").path
        let defaults = GateRule.defaults.flatMap { ["--fail-on", $0.expression] }
        let failed = try CommandRunner.run(
            ["compare", same[0], slow, "--junit", junit, "--summary", summary, "--store", store] + defaults)
        #expect(failed.exitCode == 99, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.hasPrefix("gate: FAIL: "), "\(failed.stdout)")
        let row = failed.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("p50") && $0.contains("direct") }
        #expect(row?.contains("yes (p=0.05)") == true && row?.hasSuffix("FAIL") == true, "\(failed.stdout)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<failure type=\"regression\""))
        #expect(try String(contentsOfFile: summary, encoding: .utf8).hasPrefix("**gate: FAIL: "))
        if PythonTools.isInstalled {
            #expect(try PythonTools.junitSchemaProblem(junit) == nil)
            #expect(try PythonTools.markdownHTML(summary).contains("<table>"))
        }
        // The candidate's experiment gates itself: an absolute tolerance, 2 ms more is beyond 1 ms.
        let absolute = try CommandRunner.run(["compare", same[0], slow, "--store", store])
        #expect(absolute.exitCode == 99, "\(absolute.stdout)")
        #expect(absolute.stdout.hasPrefix("gate: FAIL: 1 of 1 checks"), "\(absolute.stdout)")

        // Runs of one stack: no false alarm at the default rules, pair by pair.
        for (first, second) in [(0, 1), (0, 2), (1, 2)] {
            let passed = try CommandRunner.run(["compare", same[first], same[second], "--gate", "--store", store])
            #expect(passed.exitCode == 0, "\(passed.stdout)\(passed.stderr)")
            #expect(passed.stdout.hasPrefix("gate: PASS: none of 4 checks"), "\(passed.stdout)")
        }

        // The baseline as an exported file: the same verdict, and an import that keeps the run as it was.
        let baseline = directory.appendingPathComponent("baseline.json").path
        let exported = try CommandRunner.run(["export", same[0], "-o", baseline, "--store", store])
        #expect(exported.exitCode == 0, "\(exported.stderr)")
        let fromFile = try CommandRunner.run(["compare", baseline, slow, "--gate", "--store", store])
        #expect(fromFile.exitCode == 99)
        #expect(fromFile.stdout.split(separator: "\n").dropFirst().first?.contains(same[0]) == true)
        let other = directory.appendingPathComponent("other.sqlite").path
        let imported = try CommandRunner.run(["import", baseline, "--store", other])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported run \(same[0])"))
        let again = try CommandRunner.run(["import", baseline, "--store", other])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout.contains("already stored"))
        let original = try await SQLiteResultsStore(path: store).run(id: same[0])
        let copy = try await SQLiteResultsStore(path: other).run(id: same[0])
        #expect(copy != nil && copy == original)
        #expect(try await SQLiteResultsStore(path: other).runs(limit: nil).count == 1)
    }

    @Test func badRulesAndFilesAreOneLineErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let notExport = directory.appendingPathComponent("other.json")
        try #"{"format": "something/2"}"#.write(to: notExport, atomically: true, encoding: .utf8)
        for (arguments, expected) in [
            (["compare", "a", "b", "--fail-on", "p99>10"], "--fail-on 'p99>10': '10' has no unit"),
            (["compare", "a", "b", "--fail-on", "latency>+5%"], "unknown metric 'latency'"),
            (["import", notExport.path], "not a StackLab run export"),
            (["compare", directory.appendingPathComponent("missing.json").path, "b"], "missing.json: "),
        ] {
            let outcome = try CommandRunner.run(arguments)
            #expect(outcome.exitCode == 2, "\(arguments): \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(expected), "\(arguments): \(outcome.stderr)")
        }
    }
}
