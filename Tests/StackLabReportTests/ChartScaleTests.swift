import Foundation
import StackLabCore
import StackLabReport
import Testing

/// Charts of the full gateways example (44 series): panels, a style of its own for every series, and every label
/// inside the drawing.
@Suite struct ChartScaleTests {
    static func gatewaysReport(egress: EgressKind? = nil) throws -> RunReport {
        try RunFixture.report(GatewaysFixture.record(egress: egress))
    }

    @Test func fortyFourCurvesAreDrawnInPanelsOfAtMostTen() throws {
        let report = try Self.gatewaysReport()
        let xml = try XMLElements(HTMLReportRenderer().render(report))
        let curves = xml.all("polyline", chart: "percentiles", ["class": "curve"])
        #expect(curves.count == 44)
        let panels = xml.all("g", chart: "percentiles", ["class": "panel"])
        #expect(panels.count > 1)
        for panel in panels {
            let members = curves.filter { $0.panel == panel["data-panel"] }
            #expect(!members.isEmpty && members.count <= 10, "panel \(panel["data-panel"] ?? "")")
        }
        #expect(curves.allSatisfy { $0.panel != nil })
        // The sweep's 11 lines too.
        #expect(xml.all("g", chart: "sweep", ["class": "panel"]).count > 1)
        #expect(xml.all("polyline", chart: "sweep", ["class": "sweep"]).count == 11)
    }

    @Test func everySeriesHasAColourAndDashOfItsOwn() throws {
        let report = try Self.gatewaysReport()
        let xml = try XMLElements(HTMLReportRenderer().render(report))
        for (chart, kind) in [("percentiles", "curve"), ("sweep", "sweep"), ("series", "series")] {
            var seen: [String: Set<String>] = [:]
            for line in xml.all("polyline", chart: chart, ["class": kind]) {
                let series = [line["data-variant"], line["data-rate"], line["data-repeat"]].compactMap { $0 }
                    .joined(separator: " ")
                let style = (line["stroke"] ?? "") + " " + (line["stroke-dasharray"] ?? "solid")
                seen[style, default: []].insert(series + " " + (line.chart ?? ""))
            }
            // A series' lines in the two panels of a time-series chart share a style; two series never do.
            let shared = seen.filter { style, series in
                Set(series.map { $0.split(separator: " ").dropLast().joined(separator: " ") }).count > 1
                    && chart != "series"
            }
            #expect(shared.isEmpty, "\(chart): \(shared)")
        }
        // Series of one time-series chart (one variant, a trial per rate and repeat) each have a style of their own.
        let direct = xml.all(
            "polyline", chart: "series", ["class": "series", "data-variant": "direct", "data-metric": "p99"])
        let trials = report.record.trials.filter { $0.variant == "direct" }.count
        #expect(direct.count == trials && trials >= 12)
        #expect(Set(direct.map { ($0["stroke"] ?? "") + ($0["stroke-dasharray"] ?? "") }).count == trials)
    }

    @Test func everyTextStaysInsideItsChart() throws {
        for report in [try Self.gatewaysReport(egress: .internet), try RunFixture.report(RunFixture.record())] {
            var charts = ReportCharts.all(report)
            if let chart = ReportCharts.throughputCost(report) { charts.append(chart) }
            for chart in charts {
                let xml = try XMLElements(chart.svg)
                let svg = try #require(xml.all("svg").first)
                let box = (svg["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
                try #require(box.count == 4)
                for text in xml.all("text") {
                    let outside = Self.outside(text, width: box[2], height: box[3])
                    #expect(outside == nil, "\(chart.kind): '\(text.text)' \(outside ?? "")")
                }
            }
        }
    }

    @Test func kneeLabelsDoNotOverlap() throws {
        let xml = try XMLElements(HTMLReportRenderer().render(try Self.gatewaysReport()))
        let labels = xml.all("text", chart: "sweep", ["class": "knee-label"])
        #expect(labels.count == xml.all("circle", chart: "sweep", ["class": "knee"]).count)
        #expect(labels.count > 5)
        let boxes = labels.map { label -> (panel: String?, box: (Double, Double, Double, Double)) in
            let x = Double(label["x"] ?? "") ?? 0
            let y = Double(label["y"] ?? "") ?? 0
            let width = Double(label.text.count) * 11 * 0.6
            let left = label["text-anchor"] == "end" ? x - width : x
            return (label.panel, (left, y - 11, left + width, y))
        }
        for (index, first) in boxes.enumerated() {
            for second in boxes[(index + 1)...] where first.panel == second.panel {
                let a = first.box
                let b = second.box
                #expect(!(a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3), "overlap in \(first.panel ?? "")")
            }
        }
    }

    @Test func costBarsAreSplitByRateFromZeroWithoutEgressByDefault() throws {
        let report = try Self.gatewaysReport()
        let xml = try XMLElements(HTMLReportRenderer().render(report))
        let panels = xml.all("g", chart: "cost", ["class": "panel"])
        #expect(panels.compactMap { $0["data-panel"] } == ["at 500/s", "at 1,000/s", "at 2,000/s", "at 4,000/s"])
        let segments = xml.all("rect", chart: "cost", ["class": "segment"])
        #expect(!segments.isEmpty)
        #expect(segments.allSatisfy { $0["data-component"] != "egress" })
        // Segment colours follow the component's kind: one colour per kind, no two kinds sharing one.
        var colours: [String: Set<String>] = [:]
        for segment in segments { colours[segment["data-kind"] ?? "", default: []].insert(segment["fill"] ?? "") }
        #expect(colours.values.allSatisfy { $0.count == 1 })
        #expect(Set(colours.values.compactMap(\.first)).count == colours.count)
        // With egress: internet, each bar gets an egress segment.
        let priced = try XMLElements(HTMLReportRenderer().render(try Self.gatewaysReport(egress: .internet)))
        #expect(priced.all("rect", chart: "cost", ["class": "segment", "data-component": "egress"]).count == 44)
    }

    @Test func throughputCostAxisStartsAtZeroAndPromisesOnlyDrawnBars() throws {
        let report = try Self.gatewaysReport(egress: .internet)
        let chart = try #require(ReportCharts.throughputCost(report))
        let xml = try XMLElements(chart.svg)
        let ticks = xml.all("text", ["class": "x-tick"])
        #expect(ticks.first?.text == "$0.00")
        let bars = xml.all("line", ["class": "interval"])
        let subtitle = xml.all("text").map(\.text).first { $0.contains("interval") } ?? ""
        #expect(bars.isEmpty == subtitle.contains("no interval bars"), "\(subtitle)")
    }

    @Test func legendListsOnlyCurvesThatAreDrawn() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 2, histograms: false)
        // A group that served nothing: no curve, so no legend entry either.
        for index in record.trials.indices where record.trials[index].variant == "nginx" {
            record.trials[index].load.latency = LatencySummary(
                count: 0, min: 0, mean: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, p9999: 0, max: 0)
        }
        let xml = try XMLElements(HTMLReportRenderer().render(try RunFixture.report(record)))
        let legend = xml.all("text", chart: "percentiles", ["class": "legend"]).map(\.text)
        #expect(legend.count == xml.all("polyline", chart: "percentiles").count)
        #expect(!legend.contains { $0.hasPrefix("nginx") })
    }

    @Test func wideTablesScrollInsideThePage() throws {
        let html = HTMLReportRenderer().render(try Self.gatewaysReport())
        let xml = try XMLElements(html)
        let tables = xml.all("table").filter { $0["class"] != "facts" }
        #expect(!tables.isEmpty)
        #expect(xml.all("div", ["class": "scroll"]).count == tables.count)
        #expect(html.contains("div.scroll { overflow-x: auto"))
    }

    /// Why a `<text>` would be drawn outside a `width` × `height` drawing (its width estimated at 0.6 of the font
    /// size per character, turned by its rotation), or nil when it stays inside.
    static func outside(_ text: XMLElements.Element, width: Double, height: Double) -> String? {
        let x = Double(text["x"] ?? "") ?? 0
        let y = Double(text["y"] ?? "") ?? 0
        let size = Double(text["font-size"] ?? "") ?? 12
        let length = Double(text.text.count) * size * 0.6
        let (from, to): (Double, Double) =
            switch text["text-anchor"] {
            case "end": (-length, 0)
            case "middle": (-length / 2, length / 2)
            default: (0, length)
            }
        var angle = 0.0
        if let transform = text["transform"], transform.hasPrefix("rotate(") {
            angle = Double(transform.dropFirst(7).split(separator: " ").first ?? "") ?? 0
        }
        let radians = angle * Double.pi / 180
        // The baseline's two ends, and the top of the glyphs above each (the ascent, about 0.8 of the size).
        var corners: [(Double, Double)] = []
        for along in [from, to] {
            let baseX = x + along * cos(radians)
            let baseY = y + along * sin(radians)
            corners.append((baseX, baseY))
            corners.append((baseX + 0.8 * size * sin(radians), baseY - 0.8 * size * cos(radians)))
        }
        for (cornerX, cornerY) in corners
        where cornerX < -1 || cornerX > width + 1 || cornerY < -1 || cornerY > height + 1 {
            return "reaches (\(Int(cornerX)), \(Int(cornerY))) in \(Int(width))×\(Int(height))"
        }
        return nil
    }
}
