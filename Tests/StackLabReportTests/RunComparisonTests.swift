import StackLabCore
import StackLabReport
import Testing

@Suite struct RunComparisonTests {
    @Test func identicalRunsAreWithinNoise() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000, 2_000]))
        let after = try RunFixture.report(RunFixture.record(id: "b", rates: [1_000, 2_000]))
        let comparison = RunComparison(before: before, after: after)
        #expect(comparison.rows.count == 2 * 2 * RunComparison.Metric.allCases.count)
        #expect(comparison.rows.allSatisfy { !$0.significant && $0.verdict == "within noise" })
        #expect(comparison.unmatched.isEmpty)
        #expect(comparison.render().contains("within noise"))
    }

    @Test func slowerRunIsASignificantDifference() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000]))
        let after = try RunFixture.report(RunFixture.record(id: "b", rates: [1_000], latencyScale: 1.5, seed: 7))
        let comparison = RunComparison(before: before, after: after)
        for variant in ["direct", "nginx"] {
            for metric in [RunComparison.Metric.p50, .p99] {
                let row = try #require(comparison.rows.first { $0.variant == variant && $0.metric == metric })
                #expect(row.significant, "\(variant) \(metric)")
                #expect(row.verdict == "worse")
                #expect((row.relativeChange ?? 0) > 0.3)
            }
        }
        let text = comparison.render()
        #expect(text.contains("worse"))
        #expect(text.contains("a → b"))
        let markdown = comparison.markdown().split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(markdown.count == 2 + comparison.rows.count)
        #expect(Set(markdown.map(\.count)).count == 1)
    }

    @Test func runsWithDifferentRatesListWhatWasNotCompared() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000, 2_000], repeats: 2))
        let after = try RunFixture.report(RunFixture.record(id: "b", rates: [1_000, 4_000], repeats: 2))
        let comparison = RunComparison(before: before, after: after)
        #expect(comparison.unmatched.count == 4)
        #expect(comparison.render().contains("not compared"))
    }
}
