import StackLabCore
import StackLabReport
import Testing

@Suite struct RunComparisonTests {
    @Test func identicalRunsAreWithinNoise() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000, 2_000], repeats: 5))
        let after = try RunFixture.report(RunFixture.record(id: "b", rates: [1_000, 2_000], repeats: 5))
        let comparison = RunComparison(before: before, after: after)
        #expect(comparison.rows.count == 2 * 2 * RunComparison.Metric.allCases.count)
        #expect(comparison.rows.allSatisfy { !$0.significant && $0.verdict.hasPrefix("within noise") })
        #expect(comparison.unmatched.isEmpty)
        #expect(comparison.render().contains("within noise"))
    }

    /// Two runs of one stack (other seeds, same distribution): no row may be called different, and the verdict
    /// line says so; with 5 trials a side and 40 rows, it also says no change could have shown and what would.
    @Test func anAAComparisonReportsNoSignificantChange() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [500, 1_000, 2_000, 4_000], repeats: 5))
        let after = try RunFixture.report(
            RunFixture.record(id: "b", rates: [500, 1_000, 2_000, 4_000], repeats: 5, seed: 99))
        let comparison = RunComparison(before: before, after: after)
        #expect(comparison.rows.count == 2 * 4 * RunComparison.Metric.allCases.count)
        #expect(comparison.rows.allSatisfy { !$0.significant })
        #expect(comparison.overallLine.hasPrefix("overall: no significant change among 40 comparisons"))
        #expect(comparison.overallLine.contains("the smallest possible p is 0.008"))
        #expect(comparison.overallLine.contains("7 trials a side can reach"))
        #expect(comparison.render().contains(comparison.overallLine))
    }

    /// Ten rows: with 6 trials a side a run 1.5 times slower is found in every latency row, after correction.
    @Test func slowerRunIsASignificantDifference() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000], repeats: 6))
        let after = try RunFixture.report(
            RunFixture.record(id: "b", rates: [1_000], repeats: 6, latencyScale: 1.5, seed: 7))
        let comparison = RunComparison(before: before, after: after)
        for variant in ["direct", "nginx"] {
            for metric in [RunComparison.Metric.p50, .p99] {
                let row = try #require(comparison.rows.first { $0.variant == variant && $0.metric == metric })
                #expect(row.significant, "\(variant) \(metric)")
                #expect(row.verdict.hasPrefix("worse (p="))
                #expect((row.relativeChange ?? 0) > 0.3)
            }
        }
        let text = comparison.render()
        #expect(
            comparison.overallLine.hasPrefix("overall: ") && comparison.overallLine.contains("changed significantly"))
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
        let notCompared = comparison.render().split(separator: "\n").filter { $0.contains("not compared") }
        // One short line: how many groups each run alone has, and of which variants.
        #expect(
            notCompared == [
                "  not compared: 2 variant/rate group(s) only in a (direct, nginx); 2 variant/rate group(s) only in b "
                    + "(direct, nginx)"
            ])
    }

    /// With 3 trials a side the exact test can never reach 5%: however far apart, no better or worse.
    @Test func threeTrialsPerRunGiveNoVerdict() throws {
        let before = try RunFixture.report(RunFixture.record(id: "a", rates: [1_000], repeats: 3))
        let after = try RunFixture.report(
            RunFixture.record(id: "b", rates: [1_000], repeats: 3, latencyScale: 3, seed: 7))
        let comparison = RunComparison(before: before, after: after)
        #expect(comparison.rows.allSatisfy { $0.verdict == "n too small for a verdict" && !$0.significant })
        let text = comparison.render()
        #expect(!text.contains("worse") && !text.contains("better"))
        #expect(text.contains("exact two-sided Mann–Whitney test"))
    }

    /// Runs of two experiments compare only the variants both ran, and say so.
    @Test func runsOfDifferentExperimentsSayWhatTheyShare() throws {
        var other = RunFixture.record(id: "b", rates: [1_000], repeats: 5)
        other.spec.name = "runtimes"
        other.trials.removeAll { $0.variant == "nginx" }
        let comparison = RunComparison(
            before: try RunFixture.report(RunFixture.record(id: "a", rates: [1_000], repeats: 5)),
            after: try RunFixture.report(other))
        #expect(comparison.differentExperiments)
        #expect(comparison.comparedVariants == ["direct"])
        #expect(
            comparison.render().contains(
                "  runs of different experiments (gateways, runtimes): compared only the variants both ran: direct"))
    }
}
