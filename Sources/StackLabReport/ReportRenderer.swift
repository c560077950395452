/// Turns a run's report into one file format.
public protocol ReportRenderer: Sendable {
    /// The file's text.
    func render(_ report: RunReport) throws -> String
}

/// The formats `stacklab report --format` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case md
    case html
    case json
    case csv

    /// The renderer of this format.
    public var renderer: any ReportRenderer {
        switch self {
        case .text: TextReportRenderer()
        case .md: MarkdownReportRenderer()
        case .html: HTMLReportRenderer()
        case .json: JSONReportRenderer()
        case .csv: CSVReportRenderer()
        }
    }
}
