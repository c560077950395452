/// A table of a report, independent of how it is drawn: the text, Markdown and HTML reports draw the same tables.
public struct ReportTable: Sendable, Equatable {
    /// Left for names and prose, right for numbers.
    public enum Alignment: Sendable, Equatable {
        case left
        case right
    }

    public var header: [String]
    public var rows: [[String]]
    /// One per column; columns without one are right-aligned.
    public var alignments: [Alignment]
    /// Rows (by index) that total the ones above them, drawn in bold where the format can.
    public var totalRows: Set<Int>

    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = [.left], totalRows: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
        self.totalRows = totalRows
    }

    /// The alignment of column `index`.
    public func alignment(of index: Int) -> Alignment {
        index < alignments.count ? alignments[index] : .right
    }

    /// Every row padded with empty cells to the header's width.
    public var paddedRows: [[String]] {
        rows.map { $0 + Array(repeating: "", count: max(0, header.count - $0.count)) }
    }
}
