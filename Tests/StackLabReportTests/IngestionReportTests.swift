import Foundation
import StackLabCore
import StackLabReport
import Testing

/// A metrics backend's ingestion in every report format: samples per second against what was served, active
/// series, bytes per sample, memory per series and CPU per million samples, as medians across repeats.
@Suite struct IngestionReportTests {
    /// The fixture's `direct` variant as a Prometheus scraping synthetic targets: each 20 s trial ingested 32,000
    /// samples (1,600/s against 1,610 expected) into 8,000 active series, 2,000,000 samples since its start in
    /// 4 MB, with 80 MB of memory and 0.64 CPU-seconds; the second repeat ingested twice as fast.
    static func record() -> RunRecord {
        var record = RunFixture.record(rates: [1_000], repeats: 3)
        for index in record.trials.indices where record.trials[index].variant == "direct" {
            let fast = record.trials[index].repeatIndex == 2
            var usage = record.trials[index].components[0].usage
            usage.wallSeconds = 20
            usage.cpuUserSeconds = 0.5
            usage.cpuSystemSeconds = 0.14
            usage.averageRSSBytes = 80_000_000
            record.trials[index].components = [
                ComponentMeasurement(
                    name: "prom", kind: "prometheus", usage: usage, storedBytes: 4_000_000,
                    ingestion: MetricsIngestion(
                        samples: fast ? 64_000 : 32_000, samplesSinceStart: 2_000_000, activeSeries: 8_000,
                        expectedPerSecond: 1_610))
            ]
        }
        return record
    }

    @Test func everyFormatShowsTheBackendsIngestion() throws {
        let report = try RunFixture.report(Self.record())
        let table = try #require(ReportTables.ingestion(report, variant: "direct"))
        #expect(table.rows.count == 1)
        let row = try #require(table.rows.first)
        let cell = { (name: String) in table.header.firstIndex(of: name).map { row[$0] } }
        #expect(cell("component") == "prom")
        #expect(cell("samples/s") == "1,600" && cell("expected/s") == "1,610" && cell("of expected") == "99.4%")
        #expect(cell("active series") == "8,000")
        #expect(cell("bytes/sample") == "2 B")
        #expect(cell("memory/series") == "10.0 kB")
        #expect(cell("CPU s per M samples") == "20")
        // The variant without a metrics backend has no table.
        #expect(ReportTables.ingestion(report, variant: "nginx") == nil)

        let markdown = try ReportFormat.md.renderer.render(report)
        #expect(markdown.contains("### Metrics ingestion (medians across repeats)"))
        #expect(markdown.contains("99.4%") && markdown.contains(#"prometheus\_tsdb\_head\_series"#))
        let text = try ReportFormat.text.renderer.render(report)
        #expect(text.contains("variant direct: metrics ingestion (medians across repeats)") && text.contains("1,610"))
        let html = try ReportFormat.html.renderer.render(report)
        #expect(html.contains("<h4>Metrics ingestion</h4>"))
        let json = try ReportFormat.json.renderer.render(report)
        #expect(json.contains(#""bytesPerSample""#) && json.contains(#""samplesSinceStart""#))
    }

    @Test func anHTTPRunHasNoIngestionTable() throws {
        let report = try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 1))
        #expect(ReportTables.ingestion(report, variant: "direct") == nil)
        #expect(try !ReportFormat.md.renderer.render(report).contains("Metrics ingestion"))
    }
}
