import Foundation
import StackLabCore
import StackLabReport
import Testing

/// Writes every format of the fixture run, and the HTML report of the full gateways example, to
/// `$STACKLAB_SAMPLE_REPORT_DIR`, to look at (and screenshot with scripts/gateways-report-screenshot.sh) without a
/// results store.
@Suite struct SampleReportTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STACKLAB_SAMPLE_REPORT_DIR"] != nil))
    func writeSampleReports() throws {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["STACKLAB_SAMPLE_REPORT_DIR"]!)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let report = try RunFixture.report(RunFixture.record(requestsPerTrial: 20_000))
        for format in ReportFormat.allCases {
            let name = "report." + (format == .text ? "txt" : format.rawValue)
            try format.renderer.render(report).write(
                to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        // The largest shipped example, examples/gateways.yaml in full: 11 variants × 4 rates, 44 series.
        let gateways = try RunFixture.report(GatewaysFixture.record())
        try HTMLReportRenderer().render(gateways).write(
            to: directory.appendingPathComponent("gateways.html"), atomically: true, encoding: .utf8)
        let single = try RunFixture.report(RunFixture.record(rates: [1_000], histograms: false))
        try HTMLReportRenderer().render(single).write(
            to: directory.appendingPathComponent("single.html"), atomically: true, encoding: .utf8)
    }
}
