/// A table of text whose columns line up: the first `leftAligned` columns (one by default) left-aligned, the others
/// right-aligned, and no line ending in spaces.
public struct TextTable {
    public var rows: [[String]] = []
    public var indent = "  "
    /// How many columns, from the first, are left-aligned (names and words); the rest are numbers.
    public var leftAligned = 1

    public init(indent: String = "  ", leftAligned: Int = 1) {
        self.indent = indent
        self.leftAligned = leftAligned
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
                return index < leftAligned ? cell + padding : padding + cell
            }
            var line = indent + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
