import StackLabCore
import StackLabReport
import Testing

@Suite struct TableLayoutTests {
    /// Blocks of consecutive lines that start with `prefix`.
    static func blocks(_ text: String, prefix: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(prefix) {
                current.append(line)
            } else if !current.isEmpty {
                blocks.append(current)
                current = []
            }
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    @Test func markdownTablesLineUp() throws {
        let markdown = MarkdownReportRenderer().render(try RunFixture.report(RunFixture.record()))
        let tables = Self.blocks(markdown, prefix: "|")
        // facts, then per variant latency, resources and cost, then what nginx adds, then capacity.
        #expect(tables.count == 1 + 2 * 3 + 1 + 1)
        for table in tables {
            let pipes = table.map { line in line.filter { $0 == "|" }.count }
            #expect(Set(pipes).count == 1, "rows with different column counts:\n\(table.joined(separator: "\n"))")
            #expect(Set(table.map(\.count)).count == 1, "columns not aligned:\n\(table.joined(separator: "\n"))")
            #expect(table.count >= 3)
            #expect(table[1].allSatisfy { "|-: ".contains($0) }, "second line is the alignment rule")
        }
        #expect(markdown.contains("Highest rate within the SLO: **2,000/s**"))
    }

    @Test func markdownLinksChartImagesWhenAsked() throws {
        let report = try RunFixture.report(RunFixture.record())
        let markdown = MarkdownReportRenderer(chartDirectory: "report-charts").render(report)
        let charts = ReportCharts.all(report)
        for chart in charts {
            #expect(markdown.contains("![\(chart.title)](report-charts/\(chart.fileName))"))
            _ = try XMLElements(chart.file)
        }
        #expect(Set(charts.map(\.fileName)).count == charts.count, "one file per chart")
        #expect(charts.map(\.fileName).contains("series-direct.svg"))
        #expect(!MarkdownReportRenderer().render(report).contains("!["))
    }

    @Test func markdownEscapesPipesInCells() throws {
        var record = RunFixture.record(rates: [1_000], repeats: 1)
        record.fingerprint.pinning = "a | b"
        let markdown = MarkdownReportRenderer().render(RunReport(record: record))
        #expect(markdown.contains("a \\| b"))
        for table in Self.blocks(markdown, prefix: "|") {
            #expect(Set(table.map(\.count)).count == 1)
        }
    }

    @Test func textTablesLineUp() throws {
        let text = TextReportRenderer().render(try RunFixture.report(RunFixture.record()))
        // Tables are indented by two spaces; a line under a table ("  highest rate …") is not part of it.
        let tables = Self.blocks(text, prefix: "  ")
            .map { block in block.filter { !$0.hasPrefix("  highest rate") && !$0.hasPrefix("  no offered rate") } }
            .filter { $0.count > 1 && ($0[0].contains("offered") || $0[0].hasPrefix("  variant")) }
        // Per variant: latency, resources and cost; what nginx adds; then capacity.
        #expect(tables.count == 2 * 3 + 1 + 1)
        for table in tables {
            #expect(Set(table.map(\.count)).count == 1, "not aligned:\n\(table.joined(separator: "\n"))")
        }
        #expect(text.contains("cost · opencost-default"))
        #expect(text.contains("capacity at the SLO"))
    }

    @Test func csvHasOneRowPerTrialPerComponent() throws {
        let record = RunFixture.record(rates: [1_000, 2_000], repeats: 2)
        let csv = CSVReportRenderer().render(try RunFixture.report(record))
        let lines = csv.split(separator: "\n").map(String.init)
        let components = record.trials.reduce(0) { $0 + $1.components.count + 1 }
        #expect(lines.count == 1 + components)
        #expect(lines[0] == CSVReportRenderer.columns.joined(separator: ","))
        for line in lines { #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 29) }
        let app = try #require(lines.first { $0.contains(",app,app,") })
        let cells = app.split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(String(cells[27])) != nil, "priced rows carry $ per million requests")
    }
}
