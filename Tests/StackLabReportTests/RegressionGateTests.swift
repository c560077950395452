import Foundation
import StackLabCore
import StackLabReport
import StackLabTestSupport
import Testing

/// The regression gate over runs of a known shape: what fails, what passes, what cannot be decided, and its
/// JUnit XML and Markdown as CI systems read them.
@Suite struct RegressionGateTests {
    func gate(_ rules: [String], repeats: Int = 3, scale: Double = 1.5, seed: UInt64 = 7) throws -> RegressionGate {
        let baseline = try RunFixture.report(RunFixture.record(id: "base", rates: [1_000], repeats: repeats))
        let candidate = try RunFixture.report(
            RunFixture.record(id: "cand", rates: [1_000], repeats: repeats, latencyScale: scale, seed: seed))
        return RegressionGate(baseline: baseline, candidate: candidate, rules: try rules.map(GateRule.init(parsing:)))
    }

    @Test func aSlowerCandidateFailsWithItsNumbers() throws {
        let gate = try gate(["p50>+10%", "rate<-5%"])
        #expect(gate.outcome == .fail)
        #expect(gate.exitCode == 99)
        // One check per rule, variant and rate; only the latency ones fail.
        #expect(gate.checks.count == 4)
        #expect(gate.checks.filter { $0.outcome == .fail }.map(\.rule.metric) == [.p50, .p50])
        let lines = gate.render().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines[0].hasPrefix("gate: FAIL: 2 of 4 checks changed beyond their tolerance"))
        #expect(lines[0].contains("p50 of direct @ 1,000/s +"))
        let header = try #require(lines.first { $0.hasPrefix("metric") })
        for column in ["variant", "rate", "baseline", "candidate", "change", "tolerance", "significant?", "verdict"] {
            #expect(header.contains(column))
        }
        let failed = try #require(lines.first { $0.hasPrefix("p50") && $0.contains("direct") })
        #expect(failed.contains("+10% (limit") && failed.contains("yes (p=0.05)") && failed.hasSuffix("FAIL"))
    }

    @Test func aChangeWithinTheToleranceOrNotSignificantPasses() throws {
        // 1.05 times slower against 10%: within the tolerance.
        #expect(try gate(["p50>+10%"], scale: 1.05).outcome == .pass)
        // 1.5 times slower is 400 to 600 µs more (p50 about 0.8 and 1.3 ms): within an absolute 1 ms.
        let absolute = try gate(["p50>+1ms"])
        #expect(absolute.outcome == .pass)
        #expect(try gate(["p50>+100us"]).outcome == .fail)
        // Two runs of one stack: no check fails at the default rules.
        let same = try gate(GateRule.defaults.map(\.expression), scale: 1)
        #expect(same.outcome == .pass, "\(same.render())")
        #expect(same.verdictLine.hasPrefix("gate: PASS: none of \(same.checks.count) checks"))
    }

    @Test func twoTrialsASideCannotDecideAndDoNotFail() throws {
        let gate = try gate(["p50>+10%"], repeats: 2, scale: 3)
        #expect(gate.outcome == .undecided)
        #expect(gate.exitCode == 0)
        #expect(
            gate.verdictLine == "gate: NO VERDICT: not enough trials (2 and 2; needs 3 a side); the gate does not fail")
        #expect(gate.render().contains("n too small"))
    }

    @Test func junitHasATestCasePerCheckAndAFailureWithTheNumbers() throws {
        let gate = try gate(["p50>+10%", "p99>+10%", "rate<-5%"])
        let xml = gate.junit(timestamp: "2026-12-02T19:00:00Z")
        let elements = try XMLElements(xml).elements
        let suite = try #require(elements.first)
        #expect(suite.name == "testsuite")
        #expect(suite["tests"] == String(gate.checks.count))
        let failures = gate.checks.filter { $0.outcome == .fail }.count
        #expect(failures >= 2)
        #expect(suite["failures"] == String(failures))
        #expect(elements.filter { $0.name == "testcase" }.count == gate.checks.count)
        let failure = try #require(elements.first { $0.name == "failure" })
        #expect(failure["message"]?.contains("beyond +10%") == true)
        #expect(failure.text.contains("baseline median") && failure.text.contains("over 3 trials"))
    }

    @Test(.enabled(if: PythonTools.isInstalled, "needs the test venv with xmlschema and markdown (scripts/test.sh)"))
    func junitValidatesAndMarkdownRendersAsATable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for gate in [try gate(["p50>+10%", "rate<-5%"]), try gate(["p50>+10%"], repeats: 2)] {
            let xml = directory.appendingPathComponent("gate.xml")
            try gate.junit(timestamp: "2026-12-02T19:00:00Z").write(to: xml, atomically: true, encoding: .utf8)
            #expect(try PythonTools.junitSchemaProblem(xml.path) == nil)
            let markdown = directory.appendingPathComponent("gate.md")
            try gate.markdown().write(to: markdown, atomically: true, encoding: .utf8)
            let html = try PythonTools.markdownHTML(markdown.path)
            #expect(html.hasPrefix("<p><strong>gate: "), "\(html)")
            #expect(html.components(separatedBy: "<table>").count == 2)
            #expect(html.components(separatedBy: "<tr>").count - 1 == gate.checks.count + 1)
            #expect(html.contains("significant?</th>"))
        }
    }
}
