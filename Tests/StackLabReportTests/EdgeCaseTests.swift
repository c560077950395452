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

/// A trial that completed nothing while bytes arrived must never read as a clean result.
@Suite struct InvalidTrialTests {
    static func recordWithEmptyTrial() -> RunRecord {
        var record = RunFixture.record(rates: [1_000], repeats: 2)
        var load = record.trials[1].load
        load.requests = .init(
            completed: 0, unsent: 2_000, bytesSent: 0, bytesReceived: 82_642, due: 2_000, attempted: 0, abandoned: 0,
            earlierReplies: 365)
        load.achievedRate = 0
        record.trials[1].load = load
        return record
    }

    @Test func everyFormatSaysWhichTrialMeasuredNothingAndWhy() throws {
        let outputs = try EdgeCaseTests.renderAll(try RunFixture.report(Self.recordWithEmptyTrial()))
        for format in [ReportFormat.text, .md, .html] {
            let output = outputs[format]!
            #expect(output.contains("invalid (1/2)"), "\(format)")
            #expect(output.contains("repeat 2: nothing completed in the measured window"), "\(format)")
            #expect(output.contains("2,000 never sent"), "\(format)")
            #expect(output.contains("365 replies to requests due before it"), "\(format)")
        }
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(outputs[.json]!.utf8))
        #expect(document.trials.filter { $0.invalid != nil }.count == 1)
        #expect(document.groups.first { $0.variant == "direct" }?.meetsSLO == false)
        #expect(document.groups.first { $0.variant == "nginx" }?.meetsSLO == true)
    }

    @Test func aValidRunHasNoInvalidMark() throws {
        let outputs = try EdgeCaseTests.renderAll(try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 2)))
        for format in [ReportFormat.text, .md, .html] { #expect(!outputs[format]!.contains("invalid")) }
    }
}
