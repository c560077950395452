import Foundation
import StackLabCore
import StackLabReport
import Testing

/// The CPU limits table in every report format: each limited component's limit, the CPU its cgroup used, how
/// often the limit held it back, its memory peak against its limit and OOM kills, beside the group's p99.
@Suite struct CPULimitsReportTests {
    /// The fixture's `direct` variant under a 0.5 CPU, 64 MiB limit: each 10 s window used 4.9 CPU-seconds, was
    /// held back in 45 of 100 periods (2.1 s), peaked at 40 MiB; the third repeat's group lost a process to the
    /// OOM killer. `nginx` ran without limits.
    static func record() -> RunRecord {
        var record = RunFixture.record(rates: [1_000], repeats: 3)
        for index in record.trials.indices {
            let limited = record.trials[index].variant == "direct"
            let repeatIndex = record.trials[index].repeatIndex
            record.trials[index].components[0].cgroup = CgroupUsage(
                cpuLimit: limited ? 0.5 : nil, memoryLimitBytes: limited ? 64 << 20 : nil,
                cpuSeconds: limited ? 4.9 : 7.5, wallSeconds: 10, periods: limited ? 100 : nil,
                throttledPeriods: limited ? 45 : nil, throttledSeconds: limited ? 2.1 : nil,
                memoryPeakBytes: 40 << 20, oomKills: limited && repeatIndex == 3 ? 1 : 0)
        }
        return record
    }

    @Test func everyFormatShowsTheLimitsAndWhatTheyDid() throws {
        let report = try RunFixture.report(Self.record())
        let table = try #require(ReportTables.cpuLimits(report))
        let cell = { (row: [String], name: String) in table.header.firstIndex(of: name).map { row[$0] } }
        let direct = try #require(table.rows.first { $0[0] == "direct" })
        #expect(cell(direct, "CPU limit") == "0.5" && cell(direct, "CPU used") == "0.49")
        #expect(cell(direct, "throttled periods") == "45.0%" && cell(direct, "throttled s/s") == "0.21")
        #expect(cell(direct, "memory peak") == "41.9 MB" && cell(direct, "memory limit") == "67.1 MB")
        #expect(cell(direct, "OOM kills") == "1")
        // The unlimited variant beside it, for comparison.
        let nginx = try #require(table.rows.first { $0[0] == "nginx" })
        #expect(cell(nginx, "CPU limit") == "none" && cell(nginx, "CPU used") == "0.75")
        #expect(cell(nginx, "throttled periods") == "-")

        let markdown = try ReportFormat.md.renderer.render(report)
        #expect(markdown.contains("## CPU limits") && markdown.contains("45.0%"))
        let text = try ReportFormat.text.renderer.render(report)
        #expect(text.contains("CPU limits (medians across repeats)") && text.contains("45.0%"))
        let html = try ReportFormat.html.renderer.render(report)
        #expect(html.contains("<h2>CPU limits</h2>") && html.contains("45.0%"))
        let json = try ReportFormat.json.renderer.render(report)
        #expect(json.contains(#""throttledFraction""#) && json.contains(#""oomKills""#))
    }

    @Test func aRunWithoutLimitsHasNoTable() throws {
        var record = Self.record()
        for index in record.trials.indices {
            record.trials[index].components[0].cgroup?.cpuLimit = nil
            record.trials[index].components[0].cgroup?.memoryLimitBytes = nil
        }
        let report = try RunFixture.report(record)
        #expect(ReportTables.cpuLimits(report) == nil)
        #expect(try !ReportFormat.md.renderer.render(report).contains("CPU limits"))
        #expect(try !ReportFormat.text.renderer.render(report).contains("CPU limits"))
    }
}
