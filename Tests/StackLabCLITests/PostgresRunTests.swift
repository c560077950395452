import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` with a postgres component and a postgres workload, and `stacklab load postgres://` on the
/// test server, end to end.
@Suite(
    .serialized,
    .enabled(
        if: ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        }, "needs PostgreSQL (apt-get install postgresql; scripts/test.sh installs it)"))
struct PostgresRunTests {
    static let spec = """
        name: sql
        repeats: 1
        workload: { protocol: postgres, transaction: tpcb, scale: 1, rates: [50, 100], connections: 4, threads: 1,
                    duration: 1s }
        components:
          db: { kind: postgres, resources: { memory: 256Mi }, settings: { synchronous_commit: "off" } }
        variants:
          pg: [db]
        """

    @Test func runStartsPostgresLoadsItOnceAndStoresTransactionsPerSecond() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("sql.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let runs = base.appendingPathComponent("runs")
        let store = base.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        #expect(record.trials.map(\.offeredRate) == [50, 100])
        // The tables are loaded by the first trial and found in place by the second.
        #expect(record.trials.first?.load.dataLoad?.records == 100_000)
        #expect((record.trials.first?.load.dataLoad?.seconds ?? 0) > 0)
        #expect(record.trials.last?.load.dataLoad == nil)
        for trial in record.trials {
            #expect(trial.load.target.method == "TPCB")
            #expect(trial.load.errors.total == 0, "\(trial.load.errors)")
            // Every transaction due is accounted for: done, or due when the window closed with none free to take it.
            #expect(trial.load.requests.completed + trial.load.requests.unsent == Int(trial.offeredRate ?? 0))
            #expect(trial.load.requests.completed > 0)
            #expect(trial.load.achievedRate > 0)
            #expect(trial.components.map(\.kind) == ["postgres"])
        }
        #expect(try #require(record.trials.last).components[0].usage.cpuSeconds > 0)
        // The cluster is gone with the stack: the run directory's link to it points at nothing.
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let link = runs.appendingPathComponent(run).appendingPathComponent("pg/db/data").path
        if let cluster = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
            #expect(!FileManager.default.fileExists(atPath: cluster), "\(cluster)")
        }
    }

    @Test func aSpecWhoseVariantDoesNotSpeakTheProtocolIsRefused() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("sql.yaml")
        try Self.spec.replacingOccurrences(of: "protocol: postgres, transaction: tpcb, scale: 1", with: "path: /json")
            .write(to: file, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["validate", file.path])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("sql.yaml:8: variants.pg: variant 'pg' starts with 'db'"), "\(outcome.stderr)")
    }

    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"] != nil,
            "needs STACKLAB_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL and sets it)"))
    func loadCommandSpeaksPostgres() throws {
        let url = ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"]!
        let outcome = try CommandRunner.run([
            "load", url, "--transaction", "point-select", "--scale", "1", "-c", "2", "-t", "1", "-d", "1s", "-q",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("stacklab load POINT-SELECT \(url)"), "\(outcome.stdout)")
        #expect(
            outcome.stdout.contains("connection lost 0 · serialization 0 · deadlock 0 · sql 0"), "\(outcome.stdout)")
        let again = try CommandRunner.run([
            "load", url, "--transaction", "tpcb", "--no-load", "-r", "20", "-c", "2", "-d", "1s", "-q",
        ])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("data load"), "\(again.stdout)")
        #expect(again.stdout.contains("transactions  20 completed"), "\(again.stdout)")

        let wrong =
            url.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            + "/no_such_db"
        let bad = try CommandRunner.run(["load", wrong, "--transaction", "tpcb", "-d", "1s", "-q"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("database \"no_such_db\" does not exist"), "\(bad.stderr)")
        let unknown = try CommandRunner.run(["load", url, "--transaction", "tpcc", "-d", "1s"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("--transaction 'tpcc' is not one of tpcb, point-select, read-write"))
    }
}
