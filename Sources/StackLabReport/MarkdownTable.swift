/// A GitHub-flavoured Markdown table whose pipes line up in the source, so it reads well unrendered too.
enum MarkdownTable {
    static func render(_ table: ReportTable) -> String {
        let rows = ([table.header] + table.paddedRows).map { row in
            row.prefix(table.header.count).map(escape)
        }
        var widths = [Int](repeating: 3, count: table.header.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.joined(separator: " | ") + " |"
        }
        func padded(_ row: [String]) -> [String] {
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return table.alignment(of: index) == .left ? cell + padding : padding + cell
            }
        }
        let rule = widths.indices.map { index in
            table.alignment(of: index) == .left
                ? ":" + String(repeating: "-", count: widths[index] - 1)
                : String(repeating: "-", count: widths[index] - 1) + ":"
        }
        var lines = [line(padded(rows[0])), line(rule)]
        lines += rows.dropFirst().map { line(padded($0)) }
        return lines.joined(separator: "\n")
    }

    /// A pipe inside a cell would end it, a newline the row, and HTML would be rendered: `MarkdownText.cell`.
    static func escape(_ cell: String) -> String {
        MarkdownText.cell(cell)
    }
}
