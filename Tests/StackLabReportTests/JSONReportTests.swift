import Foundation
import StackLabCore
import StackLabReport
import Testing

@Suite struct JSONReportTests {
    @Test func decodesIntoTheDocumentedSchema() throws {
        let record = RunFixture.record()
        let report = try RunFixture.report(record)
        let json = try JSONReportRenderer().render(report)
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        #expect(document.schema == "stacklab.report/1")
        #expect(document == ReportDocument(report))
        #expect(document.run.id == record.id)
        #expect(document.run.fingerprint == record.fingerprint)
        #expect(document.run.slo?.latency.first?.micros == 20_000)
        #expect(document.pricing?.catalog == PriceCatalogs.defaultName)
        #expect(document.variants.map(\.name) == ["direct", "nginx"])
        #expect(document.variants.map(\.highestRateWithinSLO) == [2_000, 1_000])
        #expect(document.groups.count == 8)
        #expect(document.trials.count == record.trials.count)
        let group = try #require(document.groups.first)
        #expect(group.latency.p99 == report.groups[0].p99)
        #expect(group.cost?.perMillionRequests == report.costs?.groups[0].perMillionRequests)
        #expect(document.trials[0].components.map(\.name) == ["app"])
        #expect(document.trials[0].cost?.components.count == 1)
    }

    @Test func topLevelKeysAreTheDocumentedOnes() throws {
        let json = try JSONReportRenderer().render(try RunFixture.report(RunFixture.record(rates: [1_000])))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == ["schema", "generatedBy", "run", "pricing", "variants", "groups", "trials", "capacity"])
        // The document in docs/result-json.md names every one of them.
        let docs = try String(contentsOf: Self.docsURL, encoding: .utf8)
        for key in object.keys { #expect(docs.contains("`\(key)`"), "docs/result-json.md does not describe \(key)") }
    }

    @Test func unpricedReportHasNoPricing() throws {
        let json = try JSONReportRenderer().render(RunReport(record: RunFixture.record(rates: [1_000])))
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        #expect(document.pricing == nil)
        #expect(document.groups.allSatisfy { $0.cost == nil })
        #expect(document.capacity.isEmpty)
    }

    static var docsURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/result-json.md")
    }
}
