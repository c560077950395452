import Foundation
import StackLabCore
import StackLabReport
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab report` and `stacklab compare` over a store filled as runs would fill it.
struct ReportCommandTests {
    func filledStore() async throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-report-cli-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("stacklab.sqlite").path
        let store = try SQLiteResultsStore(path: path)
        try await store.beginRun(RunRecordFixture.record(id: "20261128-090000-gateways", trials: 4))
        try await store.beginRun(RunRecordFixture.record(id: "20261129-101500-gateways", trials: 4))
        return (path, directory)
    }

    @Test func reportWritesEveryFormat() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try CommandRunner.run(["report", "latest", "--store", store])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("stacklab run gateways · completed"))
        #expect(text.stdout.contains("cost · opencost-default"))

        let html = directory.appendingPathComponent("report.html").path
        let written = try CommandRunner.run(["report", "20261128", "--format", "html", "-o", html, "--store", store])
        #expect(written.exitCode == 0, "\(written.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("20261128-090000-gateways"))
        #expect(page.contains("<svg"))

        let json = try CommandRunner.run(["report", "latest", "--format", "json", "--store", store])
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.stdout.utf8))
        #expect(document.schema == ReportDocument.schemaVersion)
        #expect(document.run.id == "20261129-101500-gateways")

        let csv = try CommandRunner.run(["report", "latest", "--format", "csv", "--store", store])
        #expect(csv.stdout.hasPrefix(CSVReportRenderer.columns.joined(separator: ",") + "\n"))

        let md = try CommandRunner.run(
            ["report", "latest", "--format", "md", "--pricing", "opencost-default", "--store", store])
        #expect(md.stdout.hasPrefix("# StackLab run `gateways`"))

        let markdown = directory.appendingPathComponent("report.md").path
        let linked = try CommandRunner.run(["report", "latest", "--format", "md", "-o", markdown, "--store", store])
        #expect(linked.exitCode == 0, "\(linked.stderr)")
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).contains("](report-charts/percentiles.svg)"))
        #expect(
            FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("report-charts/percentiles.svg").path))
    }

    @Test func reportRejectsBadInputInOneLine() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [
            ["report", "latest", "--format", "pdf"], ["report", "nope"], ["report", "latest", "--pricing", "nowhere"],
            ["report", "latest", "--headroom", "0"],
        ] {
            let outcome = try CommandRunner.run(arguments + ["--store", store])
            #expect(outcome.exitCode == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
        }
    }

    /// Two trials a run: too few for the exact test ever to call a change, so no verdict at all.
    @Test func compareOfTwoTrialsARunGivesNoVerdict() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CommandRunner.run(
            ["compare", "20261128-090000-gateways", "20261129-101500-gateways", "--store", store])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("20261128-090000-gateways → 20261129-101500-gateways"))
        #expect(outcome.stdout.contains("n too small for a verdict"))
        #expect(!outcome.stdout.contains("worse") && !outcome.stdout.contains("better"))
    }

    @Test func compareHelpListsOnlyTheFormatsItWrites() throws {
        let outcome = try CommandRunner.run(["compare", "--help"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let format =
            outcome.stdout.split(separator: "\n").first { $0.contains("--format") && $0.contains("values:") } ?? ""
        #expect(format.contains("text") && format.contains("md"))
        #expect(!outcome.stdout.contains("html") && !outcome.stdout.contains("csv") && !outcome.stdout.contains("json"))
        let refused = try CommandRunner.run(["compare", "a", "b", "--format", "html"])
        #expect(refused.exitCode == 64 || refused.exitCode == 2, "\(refused.stderr)")
    }

    @Test func compareOfTwoExperimentsWithNothingInCommonFailsInOneLine() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        var other = try RunRecordFixture.record(id: "20261130-080000-runtimes", trials: 4)
        other.spec.name = "runtimes"
        for index in other.trials.indices { other.trials[index].variant = "go" }
        try await SQLiteResultsStore(path: store).beginRun(other)
        let outcome = try CommandRunner.run(
            ["compare", "20261128-090000-gateways", "20261130-080000-runtimes", "--store", store])
        #expect(outcome.exitCode != 0)
        #expect(
            outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains("runs of different experiments (gateways, runtimes)"))
    }
}
