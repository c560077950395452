import Foundation
import Histogram
import StackLabCore
import StackLabReport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct HTMLReportTests {
    /// The report parsed as XML, so a test can query it.
    static func document(_ report: RunReport) throws -> XMLDocument {
        let html = HTMLReportRenderer().render(report)
        return try XMLDocument(data: Data(html.utf8), options: [])
    }

    static func elements(_ document: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    @Test func parsesAsXMLWithOneSVGPerChart() throws {
        let report = try RunFixture.report(RunFixture.record())
        let document = try Self.document(report)
        let svgs = try Self.elements(document, "//*[local-name()='svg']")
        let charts = ReportCharts.all(report)
        #expect(svgs.count == charts.count)
        let kinds = svgs.compactMap { Self.attribute($0, "data-chart") }
        #expect(kinds == ["percentiles", "sweep", "cost", "series", "series"])
        // Self-contained: nothing loaded from elsewhere, nothing run.
        let html = HTMLReportRenderer().render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\""))
        #expect(!html.contains("<link"))
        #expect(!html.contains("url("))
    }

    @Test func headerCarriesTheFingerprint() throws {
        let record = RunFixture.record()
        let html = HTMLReportRenderer().render(try RunFixture.report(record))
        for fact in [
            record.id, "Test CPU @ 3.0GHz", "Linux 6.1.0", "nginx 1.22.1", "load on CPU 1", "opencost-default",
        ] {
            #expect(html.contains(fact), "missing \(fact)")
        }
    }

    @Test func percentileCurvesComeFromMergedHistograms() throws {
        let record = RunFixture.record()
        let report = try RunFixture.report(record)
        let document = try Self.document(report)
        for group in report.groups {
            let rate = String(Int(group.offeredRate!))
            let points = try Self.elements(
                document,
                "//*[local-name()='svg'][@data-chart='percentiles']//*[local-name()='circle']"
                    + "[@data-variant='\(group.variant)'][@data-rate='\(rate)']")
            var merged = LatencyHistogram.latency()
            for trial in group.trials { merged.add(trial.latencyHistogram!.decoded()) }
            #expect(points.count > 30)
            let values = points.compactMap { Self.attribute($0, "data-y").flatMap(Double.init) }
            #expect(values.last == Double(merged.max))
            #expect(values.first == Double(merged.valueAtPercentile(0)))
            let p99 = try #require(points.first { Self.attribute($0, "data-percentile") == "99" })
            #expect(Self.attribute(p99, "data-y") == String(merged.valueAtPercentile(99)))
            #expect(values == values.sorted(), "a percentile curve never falls")
        }
    }

    @Test func percentileCurvesFallBackToSummaries() throws {
        let record = RunFixture.record(rates: [1_000], repeats: 3, histograms: false)
        let report = try RunFixture.report(record)
        let document = try Self.document(report)
        let curves = try Self.elements(document, "//*[local-name()='polyline'][@data-source='summary']")
        #expect(curves.count == 2)
        let group = report.groups[0]
        let p99 = try #require(
            try Self.elements(
                document, "//*[local-name()='circle'][@data-variant='direct'][@data-percentile='99']"
            ).first)
        #expect(Self.attribute(p99, "data-y").flatMap(Double.init) == group.p99?.value)
        // No sweep with one rate.
        #expect(try Self.elements(document, "//*[local-name()='svg'][@data-chart='sweep']").isEmpty)
    }

    @Test func sweepChartMarksTheSLOAndTheKnee() throws {
        let record = RunFixture.record()
        let report = try RunFixture.report(record)
        let document = try Self.document(report)
        let sweep = "//*[local-name()='svg'][@data-chart='sweep']"
        let slo = try Self.elements(document, sweep + "//*[local-name()='line'][@class='slo']")
        #expect(slo.count == 1)
        #expect(slo.first.flatMap { Self.attribute($0, "data-y") } == "20000")
        for variant in ["direct", "nginx"] {
            let points = try Self.elements(
                document, sweep + "//*[local-name()='circle'][@class='point'][@data-variant='\(variant)']")
            let groups = report.groups(of: variant)
            #expect(points.compactMap { Self.attribute($0, "data-x") } == groups.map { String(Int($0.offeredRate!)) })
            #expect(
                points.compactMap { Self.attribute($0, "data-y").flatMap(Double.init) } == groups.map { $0.p99!.value })
            let knee = try Self.elements(
                document, sweep + "//*[local-name()='circle'][@class='knee'][@data-variant='\(variant)']")
            let expected = try #require(RunSummary.highestRateWithinSLO(record, variant: variant))
            #expect(knee.compactMap { Self.attribute($0, "data-x") } == [String(Int(expected))])
        }
        #expect(RunSummary.highestRateWithinSLO(record, variant: "direct") == 2_000)
        #expect(RunSummary.highestRateWithinSLO(record, variant: "nginx") == 1_000)
    }

    @Test func costBarsMatchTheGroupCosts() throws {
        let report = try RunFixture.report(RunFixture.record())
        let document = try Self.document(report)
        let costs = try #require(report.costs)
        for group in costs.groups {
            let segments = try Self.elements(
                document,
                "//*[local-name()='rect'][@class='segment'][@data-variant='\(group.variant)']"
                    + "[@data-rate='\(Int(group.offeredRate!))']")
            #expect(
                segments.compactMap { Self.attribute($0, "data-component") } == group.components.map(\.name) + [
                    "egress"
                ])
            #expect(
                segments.compactMap { Self.attribute($0, "data-y").flatMap(Double.init) }
                    == group.components.map { $0.perMillionRequests!.value } + [group.egressPerMillionRequests!.value])
        }
    }

    @Test func seriesChartsCarryEverySecond() throws {
        let record = RunFixture.record(rates: [1_000, 2_000], repeats: 2)
        let document = try Self.document(try RunFixture.report(record))
        for trial in record.trials {
            let points = try Self.elements(
                document,
                "//*[local-name()='svg'][@data-chart='series']//*[local-name()='circle'][@data-metric='rate']"
                    + "[@data-variant='\(trial.variant)'][@data-rate='\(Int(trial.offeredRate!))']"
                    + "[@data-repeat='\(trial.repeatIndex)']")
            #expect(points.compactMap { Self.attribute($0, "data-y") } == trial.load.series.map { String($0.requests) })
            #expect(points.compactMap { Self.attribute($0, "data-x") } == trial.load.series.map { String($0.second) })
        }
    }

    @Test func unpricedReportHasNoCostSection() throws {
        let report = RunReport(record: RunFixture.record(rates: [1_000], repeats: 1))
        let document = try Self.document(report)
        #expect(try Self.elements(document, "//*[local-name()='svg'][@data-chart='cost']").isEmpty)
        #expect(try Self.elements(document, "//*[@id='cost']").isEmpty)
    }
}
