import Foundation
import Histogram
import StackLabCore
import StackLabReport
import Testing

@Suite struct HTMLReportTests {
    /// The report parsed as XML, so a test can query it.
    static func elements(_ report: RunReport) throws -> XMLElements {
        try XMLElements(HTMLReportRenderer().render(report))
    }

    @Test func parsesAsXMLWithOneSVGPerChart() throws {
        let report = try RunFixture.report(RunFixture.record())
        let xml = try Self.elements(report)
        let svgs = xml.all("svg")
        #expect(svgs.count == ReportCharts.all(report).count)
        #expect(svgs.compactMap { $0["data-chart"] } == ["percentiles", "sweep", "cost", "series", "series"])
        #expect(svgs.allSatisfy { $0["xmlns"] == "http://www.w3.org/2000/svg" || $0["xmlns"] == nil })
        #expect(xml.all("html").count == 1)
        // Self-contained: nothing loaded from elsewhere, nothing run.
        let html = HTMLReportRenderer().render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\""))
        #expect(!html.contains("<link"))
        #expect(!html.contains("url("))
        #expect(!html.contains("href=\"http"))
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
        let report = try RunFixture.report(RunFixture.record())
        let xml = try Self.elements(report)
        for group in report.groups {
            let points = xml.all(
                "circle", chart: "percentiles",
                ["data-variant": group.variant, "data-rate": String(Int(group.offeredRate!))])
            var merged = LatencyHistogram.latency()
            for trial in group.trials { merged.add(trial.latencyHistogram!.decoded()) }
            #expect(points.count > 30)
            let values = points.compactMap { $0["data-y"].flatMap(Double.init) }
            #expect(values.last == Double(merged.max))
            #expect(values.first == Double(merged.valueAtPercentile(0)))
            let p99 = try #require(points.first { $0["data-percentile"] == "99" })
            #expect(p99["data-y"] == String(merged.valueAtPercentile(99)))
            let p999 = try #require(points.first { $0["data-percentile"] == "99.9" })
            #expect(p999["data-y"] == String(merged.valueAtPercentile(99.9)))
            #expect(values == values.sorted(), "a percentile curve never falls")
        }
    }

    @Test func percentileCurvesFallBackToSummaries() throws {
        let report = try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 3, histograms: false))
        let xml = try Self.elements(report)
        #expect(xml.all("polyline", chart: "percentiles", ["data-source": "summary"]).count == 2)
        let p99 = try #require(
            xml.all("circle", chart: "percentiles", ["data-variant": "direct", "data-percentile": "99"]).first)
        #expect(p99["data-y"].flatMap(Double.init) == report.groups[0].p99?.value)
        // No sweep with one rate.
        #expect(xml.all("svg", ["data-chart": "sweep"]).isEmpty)
    }

    @Test func sweepChartMarksTheSLOAndTheKnee() throws {
        let record = RunFixture.record()
        let report = try RunFixture.report(record)
        let xml = try Self.elements(report)
        let slo = xml.all("line", chart: "sweep", ["class": "slo"])
        #expect(slo.map { $0["data-y"] } == ["20000"])
        for variant in ["direct", "nginx"] {
            let points = xml.all("circle", chart: "sweep", ["class": "point", "data-variant": variant])
            let groups = report.groups(of: variant)
            #expect(points.compactMap { $0["data-x"] } == groups.map { String(Int($0.offeredRate!)) })
            #expect(points.compactMap { $0["data-y"].flatMap(Double.init) } == groups.map { $0.p99!.value })
            #expect(points.compactMap { $0["data-low"].flatMap(Double.init) } == groups.map { $0.p99!.low })
            let knee = xml.all("circle", chart: "sweep", ["class": "knee", "data-variant": variant])
            let expected = try #require(RunSummary.highestRateWithinSLO(record, variant: variant))
            #expect(knee.compactMap { $0["data-x"] } == [String(Int(expected))])
        }
        #expect(RunSummary.highestRateWithinSLO(record, variant: "direct") == 2_000)
        #expect(RunSummary.highestRateWithinSLO(record, variant: "nginx") == 1_000)
    }

    @Test func costBarsMatchTheGroupCosts() throws {
        let report = try RunFixture.report(RunFixture.record())
        let xml = try Self.elements(report)
        let costs = try #require(report.costs)
        #expect(costs.groups.count == 8)
        for group in costs.groups {
            let segments = xml.all(
                "rect", chart: "cost",
                ["class": "segment", "data-variant": group.variant, "data-rate": String(Int(group.offeredRate!))])
            // No egress segment: the fixture's experiment prices no egress (the default, none).
            #expect(segments.compactMap { $0["data-component"] } == group.components.map(\.name))
            #expect(
                segments.compactMap { $0["data-y"].flatMap(Double.init) }
                    == group.components.map { $0.perMillionRequests!.value })
            let total = xml.all(
                "text", chart: "cost",
                ["class": "total", "data-variant": group.variant, "data-rate": String(Int(group.offeredRate!))])
            #expect(total.compactMap { $0["data-y"].flatMap(Double.init) } == [group.perMillionRequests!.value])
        }
    }

    @Test func seriesChartsCarryEverySecond() throws {
        let record = RunFixture.record(rates: [1_000, 2_000], repeats: 2)
        let xml = try Self.elements(try RunFixture.report(record))
        for trial in record.trials {
            let identity = [
                "data-variant": trial.variant, "data-rate": String(Int(trial.offeredRate!)),
                "data-repeat": String(trial.repeatIndex),
            ]
            let rate = xml.all("circle", chart: "series", identity.merging(["data-metric": "rate"]) { $1 })
            #expect(rate.compactMap { $0["data-y"] } == trial.load.series.map { String($0.requests) })
            #expect(rate.compactMap { $0["data-x"] } == trial.load.series.map { String($0.second) })
            let p99 = xml.all("circle", chart: "series", identity.merging(["data-metric": "p99"]) { $1 })
            #expect(p99.compactMap { $0["data-y"].flatMap(Double.init) } == trial.load.series.map(\.p99))
        }
    }

    @Test func unpricedReportHasNoCostSection() throws {
        let xml = try Self.elements(RunReport(record: RunFixture.record(rates: [1_000], repeats: 1)))
        #expect(xml.all("svg", ["data-chart": "cost"]).isEmpty)
        #expect(xml.all("section", ["id": "cost"]).isEmpty)
        #expect(xml.all("section", ["id": "latency"]).count == 1)
    }

    @Test func markupThatIsNotXMLIsCaught() {
        #expect(throws: XMLElements.ParseError.self) { try XMLElements("<p>a<br>b</p>") }
    }
}
