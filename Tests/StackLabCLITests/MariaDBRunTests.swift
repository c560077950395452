import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` with a `mariadb` component and a `mysql` workload: the recipe starts an empty server with
/// a password made for the run, the engine logs in with it, loads the tables and measures, nothing is left.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mariadbd"),
        "MariaDB is not installed (stacklab install mariadb)"))
struct MariaDBRunTests {
    static let spec = """
        name: sql
        repeats: 1
        workload: { protocol: mysql, transaction: tpcb, scale: 1, rate: max, connections: 4, threads: 1,
                    duration: 1s }
        components:
          db: { kind: mariadb, resources: { cpu: 1, memory: 256Mi }, settings: { innodb_flush_log_at_trx_commit: "2" } }
        variants:
          direct: [db]
        """

    @Test func runStartsMariaDBLoadsItMeasuresAndStopsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-sql-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sql.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 180)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        let trial = try #require(record.trials.first)
        #expect(trial.load.dataLoad?.records == 100_000)
        #expect(trial.load.requests.completed > 10)
        #expect(trial.load.errors.total == 0)

        let leftovers = ProcessTree.described(withArgument: runs.path)
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
