import Foundation
import StackLabCore
import StackLabReport
import Testing

/// The Runtimes table: the app facts of a run in every format, with "not installed" rows and no invented figures.
@Suite struct RuntimesTableTests {
    static func record() -> RunRecord {
        var record = RunFixture.record(rates: [1_000])
        var app = AppFacts(variant: "direct", component: "app", runtime: .go)
        app.coldStartSeconds = [0.012_345_6, 0.010_000, 0.020_000]
        app.artifactBytes = 9_171_104
        app.idleRSSBytes = 8_300_000
        app.cleanBuild = AppBuildRecord(
            runtime: .go, clean: true, seconds: 2.164, builtAt: "2026-11-29T05:49:27Z", appsDirectory: "/apps")
        record.apps = [
            app, AppFacts(variant: "dotnet", component: "api", runtime: .dotnet, notInstalled: "no dotnet SDK"),
        ]
        return record
    }

    @Test func eachFormatShowsColdStartSizeBuildsAndNotInstalled() throws {
        let report = try RunFixture.report(Self.record())
        let table = try #require(ReportTables.runtimes(report))
        #expect(table.rows.count == 2)
        let go = table.rows[0]
        #expect(go[3] == "12.346 ms", "median with µs resolution")
        #expect(go[4] == "10.000 ms–20.000 ms (3×)")
        #expect(go[5] == "9.17 MB")
        #expect(go[6] == "2.164 s (2026-11-29)")
        #expect(go[7] == "not recorded", "an incremental build that was never recorded is not invented")
        let peak = RunFixture.record(rates: [1_000]).trials.filter { $0.variant == "direct" }.flatMap(\.components)
            .map(\.usage.peakRSSBytes).max()!
        #expect(go[9] == NumberText.bytes(peak))
        #expect(table.rows[1][3] == "not installed" && table.rows[1].last == "no dotnet SDK")

        #expect(TextReportRenderer().render(report).contains("12.346 ms"))
        #expect(MarkdownReportRenderer().render(report).contains("## Runtimes"))
        #expect(HTMLReportRenderer().render(report).contains("<section id=\"runtimes\">"))
        let csv = CSVReportRenderer().render(report).split(separator: "\n")
        // The app columns, then the workload; the egress columns come after them (columns are only added at the end).
        #expect(csv[0].contains("idle_rss_bytes,not_installed,workload,"))
        #expect(csv.contains { $0.contains(",dotnet,") && $0.contains(",no dotnet SDK,") })

        let document = ReportDocument(report)
        let entry = try #require(document.runtimes?.first)
        #expect(abs((entry.coldStartMicros?.median ?? 0) - 12_345.6) < 0.001)
        #expect(entry.peakRSSBytesUnderLoad == Int64(peak))
        #expect(document.runtimes?.last?.notInstalled == "no dotnet SDK")
    }

    @Test func aRunWithoutAppFactsHasNoRuntimesTable() throws {
        let report = try RunFixture.report(RunFixture.record(rates: [1_000]))
        #expect(ReportTables.runtimes(report) == nil)
        #expect(ReportDocument(report).runtimes == nil)
    }
}
