import Foundation
import StackLabCore

/// The report as JSON, schema `stacklab.report/1` (``ReportDocument``, docs/result-json.md).
public struct JSONReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: RunReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ReportDocument(report))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
