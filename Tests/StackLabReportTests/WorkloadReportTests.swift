import Foundation
import StackLabCore
import Testing

@testable import StackLabReport

/// Reports of runs with several workloads, and of runs from before workloads had names.
struct WorkloadReportTests {
    /// The fixture's two rates as two workloads, `slow` (500/s) and `fast` (1000/s), as a run of `workloads:` would
    /// have recorded them.
    static func twoWorkloads() -> RunRecord {
        var record = RunFixture.record(rates: [500, 1_000], repeats: 3)
        let names: [Double: String] = [500: "slow", 1_000: "fast"]
        for index in record.trials.indices { record.trials[index].workload = names[record.trials[index].offeredRate!] }
        record.spec.workloads = [
            NamedWorkload(
                name: "slow", workload: Workload(requests: [.init(path: "/json")], arrival: .constant(rate: 500))),
            NamedWorkload(
                name: "fast", workload: Workload(requests: [.init(path: "/db")], arrival: .constant(rate: 1_000))),
        ]
        return record
    }

    @Test func aRunOfOneWorkloadHasNoWorkloadFieldsInItsJSON() throws {
        let report = try RunFixture.report(RunFixture.record(rates: [500, 1_000], repeats: 2))
        #expect(report.workloads.isEmpty)
        let json = try JSONReportRenderer().render(report)
        #expect(!json.contains("\"workloads\""))
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        #expect(document.groups.allSatisfy { $0.workload == nil } && document.trials.allSatisfy { $0.workload == nil })
        #expect(!MarkdownReportRenderer().render(report).contains("## Workload"))
    }

    @Test func eachWorkloadIsReportedFromItsOwnTrials() throws {
        let record = Self.twoWorkloads()
        let report = try RunFixture.report(record)
        #expect(report.workloads.map(\.name) == ["slow", "fast"])
        for workload in report.workloads {
            #expect(workload.report.record.trials.allSatisfy { $0.workload == workload.name })
            #expect(workload.report.record.trials.count == 6)
            let table = ReportTables.workload(workload.report)
            #expect(table.rows.map { $0[0] } == ["direct", "nginx"])
            for row in table.rows {
                let trials = record.trials.filter { $0.workload == workload.name && $0.variant == row[0] }
                #expect(row[2] == ReportTables.rateText(Statistics.medianWithInterval(trials.map(\.load.achievedRate))))
                #expect(
                    row[4] == ReportTables.latencyText(Statistics.medianWithInterval(trials.map(\.load.latency.p99))))
            }
        }
        let markdown = MarkdownReportRenderer().render(report)
        #expect(markdown.contains("## Workload `slow`") && markdown.contains("## Workload `fast`"))
        #expect(markdown.contains("### Variant `direct`"))
        // Trials priced within their own workload: every trial has its cost.
        #expect(record.trials.allSatisfy { report.cost(of: $0) != nil })
    }

    @Test func theThroughputCostChartShowsTheTablesFigures() throws {
        let report = try RunFixture.report(Self.twoWorkloads())
        let charts = ReportCharts.all(report).filter { $0.kind == "throughput-cost" }
        #expect(charts.map(\.fileName) == ["slow-throughput-cost.svg", "fast-throughput-cost.svg"])
        for (chart, workload) in zip(charts, report.workloads) {
            let xml = try XMLElements(chart.svg)
            let points = xml.all("circle", chart: "throughput-cost", ["class": "point"])
            #expect(points.compactMap { $0["data-variant"] } == ["direct", "nginx"])
            let table = ReportTables.workload(workload.report)
            for point in points {
                let row = try #require(table.rows.first { $0[0] == point["data-variant"] })
                func estimate(_ axis: String) throws -> Statistics.Estimate {
                    Statistics.Estimate(
                        value: try #require(point["data-\(axis)"].flatMap(Double.init)),
                        low: try #require(point["data-\(axis)-low"].flatMap(Double.init)),
                        high: try #require(point["data-\(axis)-high"].flatMap(Double.init)))
                }
                #expect(ReportTables.rateText(try estimate("y")) == row[2])
                #expect(MoneyText.dollars(try estimate("x")) == row.last)
            }
            #expect(xml.all("text", chart: "throughput-cost", ["class": "label"]).count == 2)
        }
        let html = try XMLElements(HTMLReportRenderer().render(report))
        #expect(html.all("table").filter { $0["data-workload"] != nil }.count == 2)
        #expect(html.all("svg", ["data-chart": "throughput-cost"]).count == 2)
    }

    @Test func theJSONNamesTheWorkloadOfEachGroupAndTrial() throws {
        let report = try RunFixture.report(Self.twoWorkloads())
        let document = try JSONDecoder().decode(
            ReportDocument.self, from: Data(try JSONReportRenderer().render(report).utf8))
        #expect(document.run.workloads?.map(\.name) == ["slow", "fast"])
        #expect(
            document.groups.map { "\($0.variant) \($0.workload ?? "-")" }.sorted()
                == ["direct fast", "direct slow", "nginx fast", "nginx slow"])
        #expect(document.trials.allSatisfy { $0.workload != nil && $0.cost != nil })
        #expect(
            document.groups.allSatisfy {
                $0.cost?.perMillionRequests != nil && $0.stackCPUSecondsPer1000Requests != nil
            })
    }
}
