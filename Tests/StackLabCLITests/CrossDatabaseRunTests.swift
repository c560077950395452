import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// One experiment across databases, run for real: a `sql` workload runs only on the postgres variant and a
/// redis workload only on the redis variant, and each workload's table in the report holds only its variant.
@Suite(
    .serialized,
    .enabled(
        if: RedisServer.isInstalled
            && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
                FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
            }, "needs PostgreSQL and Redis (apt-get install postgresql redis-server; scripts/test.sh installs them)"))
struct CrossDatabaseRunTests {
    static let spec = """
        name: databases
        repeats: 1
        pricing: opencost-default
        workloads:
          select: { protocol: sql, transaction: point-select, scale: 1, rate: 100, connections: 2, threads: 1,
                    duration: 1s, warmup: 0s }
          ycsb: { protocol: redis, mix: ycsb-c, records: 1000, rate: 200, connections: 2, threads: 1, duration: 1s,
                  warmup: 0s }
        components:
          pg: { kind: postgres, resources: { cpu: 1, memory: 256Mi } }
          kv: { kind: redis, resources: { cpu: 1, memory: 64Mi } }
        variants:
          postgres: [pg]
          redis: [kv]
        """

    @Test func eachWorkloadRunsOnlyOnTheVariantThatSpeaksIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-databases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("databases.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let store = directory.appendingPathComponent("store.sqlite").path
        let runs = directory.appendingPathComponent("runs")

        let validated = try CommandRunner.run(["validate", file.path])
        #expect(validated.exitCode == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("select: sql point-select at scale 1"), "\(validated.stdout)")
        #expect(validated.stdout.contains("— on postgres\n") && validated.stdout.contains("— on redis"))

        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "--no-pin", "-q"], timeout: 300)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(RunCommandTests().leftovers(under: runs).isEmpty)

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        #expect(record.trials.map { "\($0.variant) \($0.workload ?? "-")" } == ["postgres select", "redis ycsb"])
        #expect(record.trials.allSatisfy { $0.load.requests.completed > 50 && $0.load.errors.total == 0 })
        // The sql workload spoke PostgreSQL's protocol to the postgres entry.
        #expect(record.trials.first?.load.target.url.hasPrefix("postgres://") == true)

        let markdown = directory.appendingPathComponent("report.md")
        let written = try CommandRunner.run([
            "report", "latest", "--format", "md", "-o", markdown.path, "--store", store,
        ])
        #expect(written.exitCode == 0, "\(written.stderr)")
        let text = try String(contentsOf: markdown, encoding: .utf8)
        for (workload, variant) in [("select", "postgres"), ("ycsb", "redis")] {
            let rows = WorkloadsRunTests.table(after: "## Workload `\(workload)`", in: text)
            #expect(rows.dropFirst().map { $0[0] } == [variant], "\(workload): \(rows)")
            #expect(rows.dropFirst().allSatisfy { row in !row.dropFirst().allSatisfy { $0.isEmpty || $0 == "–" } })
            // Each workload's chart has a point for its own variant only.
            let svg = try String(
                contentsOf: directory.appendingPathComponent("report-charts/\(workload)-throughput-cost.svg"),
                encoding: .utf8)
            #expect(WorkloadsRunTests.points(in: svg).compactMap { $0["data-variant"] } == [variant])
        }
        for format in ["text", "html", "json", "csv"] {
            let report = try CommandRunner.run(["report", "latest", "--format", format, "--store", store])
            #expect(report.exitCode == 0, "\(format): \(report.stderr)")
        }
    }
}
