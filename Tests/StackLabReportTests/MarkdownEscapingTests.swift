import Foundation
import StackLabCore
import Testing

@testable import StackLabReport

/// `--format md` is rendered by GitHub and most viewers, which render HTML inside Markdown: nothing from a run may
/// reach them as markup.
struct MarkdownEscapingTests {
    static let script = "<script>alert(1)</script>"
    static let image = "<img src=x onerror=alert(1)>"
    static let svg = "<svg onload=alert(1)>"

    /// The fixture run with markup in its description, request, workload, variant and component names.
    static func hostileRecord() -> RunRecord {
        var record = RunFixture.record(rates: [500, 1_000], repeats: 2)
        record.spec.description = "Gateways \(script) & friends\n# not a heading | not a cell"
        record.spec.workload.requests = [.init(path: "/\(image)", method: svg)]
        let hostileVariant = "ng`inx \(svg)|x"
        for index in record.trials.indices where record.trials[index].variant == "nginx" {
            record.trials[index].variant = hostileVariant
        }
        record.spec.variants[1] = Variant(name: hostileVariant, stack: ["nginx \(image)", "app"])
        record.spec.components[1].name = "nginx \(image)"
        for index in record.trials.indices { record.trials[index].workload = "w\(script)" }
        record.spec.workloads = [NamedWorkload(name: "w\(script)", workload: record.spec.workload)]
        return record
    }

    @Test func noMarkupFromTheRunReachesTheReport() throws {
        let report = try RunFixture.report(Self.hostileRecord())
        for markdown in [
            MarkdownReportRenderer().render(report), MarkdownReportRenderer(chartDirectory: "c").render(report),
        ] {
            for tag in ["<script", "<img", "<svg"] {
                let outside = Self.outsideCodeSpans(markdown)
                #expect(!outside.contains(tag), "raw \(tag) in:\n\(markdown)")
            }
            #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"))
            #expect(!markdown.contains("\n# not a heading"))
            // Every row of a table has as many unescaped pipes as its header: a pipe in a value did not add a cell.
            for table in Self.tables(markdown) {
                let counts = Set(table.map { Self.unescapedPipes($0) })
                #expect(counts.count == 1, "\(table.joined(separator: "\n"))")
            }
        }
    }

    @Test func cellsEscapeMarkdownAndHTML() {
        #expect(MarkdownText.cell("a|b") == "a\\|b")
        #expect(MarkdownText.cell("`x`") == "\\`x\\`")
        #expect(MarkdownText.cell("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;")
        #expect(MarkdownText.cell("two\nlines\r") == "two lines ")
        #expect(MarkdownText.code("a`b\nc") == "`a'b c`")
    }

    /// The text with every `` `code span` `` removed: markup inside one is shown as text.
    static func outsideCodeSpans(_ markdown: String) -> String {
        var result = ""
        var inSpan = false
        var previous: Character = " "
        for character in markdown {
            if character == "`" && previous != "\\" {
                inSpan.toggle()
            } else if !inSpan {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    static func tables(_ markdown: String) -> [[String]] {
        var tables: [[String]] = []
        var current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                current.append(line)
            } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        if !current.isEmpty { tables.append(current) }
        return tables
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var previous: Character = " "
        for character in line {
            if character == "|" && previous != "\\" { count += 1 }
            previous = character
        }
        return count
    }
}
