import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// An app stacked on a postgres component serves its database endpoints from it.
@Suite(
    .serialized,
    .enabled(
        if: ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        }, "needs PostgreSQL (apt-get install postgresql; scripts/test.sh installs it)"))
struct AppOnPostgresTests {
    @Test func theAppsDatabaseEndpointsRunOnTheStackedPostgres() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let spec = base.appendingPathComponent("spec.yaml")
        try """
        name: app-on-postgres
        repeats: 1
        workload: { path: /queries?queries=5, rate: 100/s, connections: 4, duration: 1s }
        components:
          app: { kind: app, runtime: swift }
          db: { kind: postgres, resources: { memory: 256Mi } }
        variants:
          pg: [app, db]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let runs = base.appendingPathComponent("runs")
        let store = base.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        let trial = try #require(record.trials.first)
        #expect(trial.components.map(\.kind) == ["app", "postgres"])
        #expect(trial.load.requests.completed == 100)
        #expect(trial.load.errors.total == 0, "\(trial.load.errors) \(trial.load.statusCodes)")
        // The database did the work: PostgreSQL's processes used CPU for the 100 × 5 queries.
        #expect(try #require(trial.components.last).usage.cpuSeconds > 0)
    }
}
