import Foundation
import StackLabCore
import StackLabReport
import Testing

/// What a reader concludes from a report: capacity that is never a sweep's top in disguise, an SLO verdict that
/// names what failed, and a generator verdict with its cause in every format.
@Suite struct VerdictReportTests {
    /// `direct` meets the SLO at every rate tried (its knee is 2000/s); `nginx` fails above 1000/s.
    static func topPassedRecord() -> RunRecord {
        RunFixture.record(rates: [500, 1_000, 2_000], repeats: 5)
    }

    @Test func aSweepWhoseTopPassedIsALowerBoundInEveryFormat() throws {
        let report = try RunFixture.report(Self.topPassedRecord())
        let text = TextReportRenderer().render(report)
        #expect(text.contains("  highest rate within the SLO: ≥ 2,000/s (highest tried): every rate tried met the SLO"))
        #expect(
            text.contains("  highest rate within the SLO: 1,000/s (every rate up to it met the SLO; 2,000/s failed)"))
        let markdown = MarkdownReportRenderer().render(report)
        #expect(markdown.contains("Highest rate within the SLO: **≥ 2,000/s** (highest tried)"))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("Highest rate within the SLO: <strong>≥ 2,000/s</strong> (highest tried)"))

        // No knee is drawn where none was found.
        let xml = try XMLElements(html)
        #expect(xml.all("circle", chart: "sweep", ["class": "knee", "data-variant": "direct"]).isEmpty)
        #expect(
            xml.all("circle", chart: "sweep", ["class": "knee", "data-variant": "nginx"]).compactMap { $0["data-x"] }
                == ["1000"])

        // The capacity plan of a lower bound on capacity is an upper bound on cost.
        let capacity = try #require(ReportTables.capacity(report))
        let direct = try #require(capacity.rows.first { $0.first == "direct" })
        #expect(direct[1] == "≥ 2,000/s (highest tried)")
        #expect(
            direct[4].hasPrefix("≤ ") && direct[7].hasPrefix("≤ $") && direct[9].hasPrefix("≤ $")
                && direct[10].hasPrefix("≤ $"))
        let nginx = try #require(capacity.rows.first { $0.first == "nginx" })
        #expect(nginx[1] == "1,000/s" && !nginx[4].hasPrefix("≤"))

        let document = try JSONDecoder().decode(
            ReportDocument.self, from: Data(try JSONReportRenderer().render(report).utf8))
        #expect(document.variants.map(\.highestRateWithinSLO) == [2_000, 1_000])
        #expect(document.variants.map(\.highestRateWithinSLOIsLowerBound) == [true, false])
        #expect(document.capacity.map(\.isUpperBound) == [true, false])
    }

    /// nginx in the issue: 1000/s failed, 2000/s passed. It has no rate within the SLO, and every format says so.
    @Test func aLowerRateThatFailedLeavesNoCapacity() throws {
        var record = RunFixture.record(rates: [500, 1_000], repeats: 5)
        for index in record.trials.indices where record.trials[index].variant == "nginx" {
            let failing = record.trials[index].offeredRate == 500
            record.trials[index].load.thresholds[0].passed = !failing
        }
        let report = try RunFixture.report(record)
        #expect(report.sweepLimit(of: "nginx")?.highestRateWithinSLO == nil)
        let text = TextReportRenderer().render(report)
        #expect(text.contains("  no offered rate is within the SLO: the lowest tried, 500/s, failed it"))
        #expect(MarkdownReportRenderer().render(report).contains("No offered rate is within the SLO"))
        let capacity = try #require(ReportTables.capacity(report))
        #expect(capacity.rows.first { $0.first == "nginx" }?[1] == "none (500/s failed)")
        let layers = try #require(ReportTables.layers(report))
        #expect(layers.rows.allSatisfy { $0[10] == "none (500/s failed)" })
        let document = ReportDocument(report)
        #expect(document.variants.first { $0.name == "nginx" }?.highestRateWithinSLO == nil)
    }

    /// A p99.9 that failed beside a p99 that passed: the verdict names the p99.9 and its value.
    @Test func theSLOVerdictNamesThePercentileThatFailed() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 5)
        for index in record.trials.indices {
            record.trials[index].load.thresholds.append(
                .init(expression: "p99.9<=25.00ms", actual: 31_000, limit: 25_000, passed: false))
        }
        let report = try RunFixture.report(record)
        let table = ReportTables.latency(report, variant: "direct")
        let slo = try #require(table.header.firstIndex(of: "SLO"))
        #expect(table.rows[0][slo] == "✗ p99.9 31.00ms")
        #expect(RunSummary.render(record).contains("✗ p99.9 31.00ms"))
    }

    /// A trial the client shaped carries its cause in the terminal, as in every other format.
    @Test func theGeneratorVerdictAndItsCauseShowEverywhere() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 5)
        record.trials[0].load.generator = GeneratorCheck(
            cpuUserSeconds: 0.5, cpuSystemSeconds: 0, completed: 10_000, wallSeconds: 10, threads: 1,
            peakRSSBytes: 0, sendLag: .init(p50: 100, p99: 3_100, max: 9_000), queuedForConnection: 0,
            connectionsRequested: 32, connectionsEstablished: 32, targetRate: 1_000, achievedRate: 1_000,
            latencyP99Micros: 5_000)
        let report = try RunFixture.report(record)
        let verdict = "generator-bound (1/5): wake-up delay"
        let summary = "generator: 1 of 10 trials shaped by the client, not the stack (wake-up delay 1)"
        let terminal = RunSummary.render(record)
        #expect(terminal.contains(verdict))
        #expect(terminal.contains("  " + summary))
        #expect(TextReportRenderer().render(report).contains(verdict))
        #expect(MarkdownReportRenderer().render(report).contains(verdict))
        #expect(HTMLReportRenderer().render(report).contains(verdict))
        #expect(CSVReportRenderer().render(report).contains("generator-bound: wake-up delay"))
        let document = ReportDocument(report)
        #expect(document.groups.first?.generator == verdict)
        #expect(document.trials.first?.generatorCauses == [.wakeUpDelay])
        #expect(document.trials.last?.generatorCauses == [])
        #expect(ReportTables.facts(report).contains { $0.label == "generator" && summary.hasSuffix($0.value) })
    }

    /// Five repeats: each median has its order-statistic interval, and the header says at what confidence.
    @Test func intervalsSayTheirConfidenceAndFewRepeatsGiveOnlyARange() throws {
        let five = try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 5))
        let table = ReportTables.latency(five, variant: "direct")
        #expect(table.header[4] == "p99 [93.8% CI]")
        let p99 = try #require(five.groups[0].p99)
        #expect(p99.confidence == 0.9375)
        #expect(table.rows[0][4] == ReportTables.latencyText(p99) && table.rows[0][4].contains(" ["))

        let three = try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 3))
        let small = ReportTables.latency(three, variant: "direct")
        #expect(small.header[4] == "p99 (range)")
        #expect(small.rows[0][4].contains(" (range "))
        let text = TextReportRenderer().render(three)
        #expect(text.contains("n=3: range only"))
        #expect(text.contains("n=3 is too few for a verdict"))
        #expect(!text.contains("95% CI"))
    }
}
