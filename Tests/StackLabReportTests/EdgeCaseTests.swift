import Foundation
import StackLabCore
import StackLabReport
import Testing

/// Runs at the edges: nothing finished yet, closed loop, an aborted run.
@Suite struct EdgeCaseTests {
    static func renderAll(_ report: RunReport) throws -> [ReportFormat: String] {
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = try format.renderer.render(report) }
        return outputs
    }

    @Test func runWithoutTrialsRendersInEveryFormat() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 1)
        record.trials = []
        record.status = .running
        let outputs = try Self.renderAll(try RunFixture.report(record))
        let xml = try XMLElements(outputs[.html]!)
        #expect(xml.all("svg").isEmpty)
        #expect(outputs[.csv] == CSVReportRenderer.columns.joined(separator: ",") + "\n")
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(outputs[.json]!.utf8))
        #expect(document.trials.isEmpty && document.groups.isEmpty && document.run.status == "running")
    }

    @Test func closedLoopTrialsHaveNoOfferedRate() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 2)
        for index in record.trials.indices { record.trials[index].offeredRate = nil }
        let report = try RunFixture.report(record)
        let outputs = try Self.renderAll(report)
        let xml = try XMLElements(outputs[.html]!)
        #expect(!xml.all("circle", chart: "percentiles", ["data-rate": "max"]).isEmpty)
        #expect(xml.all("svg", ["data-chart": "sweep"]).isEmpty)
        #expect(outputs[.text]!.contains("max"))
    }

    @Test func abortedRunSaysWhy() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 1)
        record.status = .aborted
        record.abortReason = "interrupted (Ctrl-C)"
        let outputs = try Self.renderAll(try RunFixture.report(record))
        #expect(outputs[.html]!.contains("aborted (interrupted (Ctrl-C))"))
        #expect(outputs[.md]!.contains("aborted (interrupted (Ctrl-C))"))
        _ = try XMLElements(outputs[.html]!)
    }
}
