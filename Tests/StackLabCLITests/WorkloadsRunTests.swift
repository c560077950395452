import Foundation
import StackLabCore
import StackLabReport
import StackLabTestSupport
import Testing

/// A run of two named workloads against the reference app: each trial names its workload, the report has a table
/// per workload whose figures come from the stored trials, and the requests/s against $ per million requests chart
/// shows the same figures.
@Suite(.serialized)
struct WorkloadsRunTests {
    static let yaml = """
        name: two-workloads
        repeats: 2
        pricing: opencost-default
        workloads:
          json: { path: /json, rates: [max, 300], connections: 4, duration: 1s, warmup: 0s }
          plaintext: { path: /plaintext, rate: 200, connections: 4, duration: 1s, warmup: 0s }
        components:
          app: { kind: app, runtime: swift, settings: { db: sqlite }, resources: { cpu: 1, memory: 256Mi } }
        variants:
          direct: [app]
          again: [app]
        """

    /// The rows of the Markdown table that follows `heading`, as cells, header first.
    static func table(after heading: String, in markdown: String) -> [[String]] {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        let rows = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.enumerated().filter { $0.offset != 1 }.map { _, line in
            line.dropFirst(2).dropLast(2).components(separatedBy: " | ").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// Each `<circle class="point" …>` of an SVG as its attributes.
    static func points(in svg: String) -> [[String: String]] {
        let circles = svg.components(separatedBy: "<circle").dropFirst().map { $0.prefix { $0 != ">" } }
        return circles.map { element in
            var attributes: [String: String] = [:]
            let parts = element.components(separatedBy: "\"")
            for index in stride(from: 0, to: parts.count - 1, by: 2) {
                let name = parts[index].trimmingCharacters(in: .whitespaces).dropLast()
                attributes[String(name)] = parts[index + 1]
            }
            return attributes
        }.filter { $0["class"] == "point" }
    }

    @Test func twoWorkloadsGiveATableEachAndAChartOfTheSameFigures() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-workloads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("two.yaml")
        try Self.yaml.write(to: file, atomically: true, encoding: .utf8)
        let store = directory.appendingPathComponent("store.sqlite").path
        let runs = directory.appendingPathComponent("runs")

        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "--no-pin", "-q"], timeout: 300)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("workload json: http GET /json, 300/s and closed loop"))
        #expect(outcome.stdout.contains("workload plaintext: http GET /plaintext, 200/s"))
        #expect(RunCommandTests().leftovers(under: runs).isEmpty)

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        // In rounds: repeat 1 of both variants, then repeat 2 of both.
        let round = ["json 300", "json max", "plaintext 200"]
        let inRound = round.map { "direct " + $0 } + round.map { "again " + $0 }
        #expect(
            record.trials.map {
                "\($0.variant) \($0.workload ?? "-") \($0.offeredRate.map { String(Int($0)) } ?? "max")"
            }
                == inRound + inRound)
        #expect(record.trials.map(\.repeatIndex) == Array(repeating: 1, count: 6) + Array(repeating: 2, count: 6))
        #expect(record.trials.allSatisfy { $0.load.requests.completed > 0 })

        let markdown = directory.appendingPathComponent("report.md")
        let written = try CommandRunner.run([
            "report", "latest", "--format", "md", "-o", markdown.path, "--store", store,
        ])
        #expect(written.exitCode == 0, "\(written.stderr)")
        let text = try String(contentsOf: markdown, encoding: .utf8)
        let catalog = try PriceCatalogs.load(nameOrPath: "opencost-default")
        var requests: [String: Resources.Amounts] = [:]
        for component in record.spec.components { requests[component.name] = component.resources?.requests }
        let report = RunReport(record: record, catalog: catalog)
        for workload in ["json", "plaintext"] {
            let rows = Self.table(after: "## Workload `\(workload)`", in: text)
            let header = try #require(rows.first)
            let column = { (name: String) in try #require(header.firstIndex { $0.hasPrefix(name) }) }
            let expectedRows = workload == "json" ? ["300/s", "max"] : ["200/s"]
            #expect(
                rows.dropFirst().map { $0[0] + " " + $0[1] }
                    == ["direct", "again"].flatMap { variant in
                        expectedRows.map { "\(variant) \($0)" }
                    })
            for row in rows.dropFirst() {
                let trials = record.trials.filter {
                    $0.workload == workload && $0.variant == row[0]
                        && ($0.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max") == row[1]
                }
                #expect(trials.count == 2)
                // Each figure is the median of the stored trials with its bootstrap interval.
                #expect(
                    row[try column("requests/s")]
                        == ReportTables.rateText(Statistics.medianWithInterval(trials.map(\.load.achievedRate))))
                #expect(
                    row[try column("p99")]
                        == ReportTables.latencyText(Statistics.medianWithInterval(trials.map(\.load.latency.p99))))
                let cpu = trials.map { trial in
                    trial.components.reduce(0) { $0 + $1.usage.cpuSeconds } * 1_000
                        / Double(trial.load.requests.completed)
                }
                #expect(row[try column("CPU s/1000 req")] == ReportTables.cpuText(Statistics.medianWithInterval(cpu)))
                let perMillion = trials.compactMap {
                    TrialCost($0, requests: requests, catalog: catalog).perMillionRequests
                }
                #expect(row[try column("$/M requests")] == MoneyText.dollars(Statistics.medianWithInterval(perMillion)))
            }

            // The chart beside the Markdown: one point per variant, its closed loop (else its highest rate).
            let svg = try String(
                contentsOf: directory.appendingPathComponent("report-charts/\(workload)-throughput-cost.svg"),
                encoding: .utf8)
            #expect(text.contains("(report-charts/\(workload)-throughput-cost.svg)"))
            let points = Self.points(in: svg)
            #expect(points.compactMap { $0["data-variant"] } == ["direct", "again"])
            for point in points {
                let label = workload == "json" ? "max" : "200/s"
                #expect(point["data-rate"] == (workload == "json" ? "max" : "200"))
                let row = try #require(rows.first { $0[0] == point["data-variant"] && $0[1] == label })
                func estimate(_ axis: String) throws -> Statistics.Estimate {
                    Statistics.Estimate(
                        value: try #require(point["data-\(axis)"].flatMap(Double.init)),
                        low: try #require(point["data-\(axis)-low"].flatMap(Double.init)),
                        high: try #require(point["data-\(axis)-high"].flatMap(Double.init)))
                }
                #expect(ReportTables.rateText(try estimate("y")) == row[try column("requests/s")])
                #expect(MoneyText.dollars(try estimate("x")) == row[try column("$/M requests")])
            }
        }
        #expect(report.workloads.map(\.name) == ["json", "plaintext"])

        let json = try CommandRunner.run(["report", "latest", "--format", "json", "--store", store])
        #expect(json.exitCode == 0, "\(json.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let groups = try #require(document["groups"] as? [[String: Any]])
        #expect(groups.compactMap { $0["workload"] as? String }.count == groups.count)
        #expect(Set(groups.compactMap { $0["workload"] as? String }) == ["json", "plaintext"])
        let trials = try #require(document["trials"] as? [[String: Any]])
        #expect(trials.compactMap { $0["workload"] as? String } == record.trials.compactMap(\.workload))
        let run = try #require(document["run"] as? [String: Any])
        #expect((run["workloads"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["json", "plaintext"])

        let html = try CommandRunner.run(["report", "latest", "--format", "html", "--store", store])
        #expect(html.exitCode == 0, "\(html.stderr)")
        #expect(html.stdout.components(separatedBy: "<table data-workload=\"").count - 1 == 2)
        #expect(html.stdout.components(separatedBy: "data-chart=\"throughput-cost\"").count - 1 >= 2)
    }
}
