/// A table of text whose columns line up: the first column left-aligned, the others right-aligned.
public struct TextTable {
    public var rows: [[String]] = []
    public var indent = "  "

    public init(indent: String = "  ") {
        self.indent = indent
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    public func render() -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            let cells = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + padding : padding + cell
            }
            return indent + cells.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
