import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` and `stacklab load` with Redis end to end: the recipe starts an empty server, the engine
/// loads it and runs the mix, and nothing is left running afterwards.
@Suite(.serialized, .enabled(if: RedisServer.isInstalled, "\(RedisServer.missing)"))
struct RedisRunTests {
    static let spec = """
        name: kv
        repeats: 1
        workload: { protocol: redis, mix: ycsb-b, records: 2000, value_size: 64, rate: max, connections: 4,
                    threads: 1, duration: 1s }
        components:
          cache: { kind: redis, resources: { cpu: 1, memory: 64Mi } }
          locked: { kind: redis, settings: { password: s3cret, backup: rdb } }
        variants:
          direct: [cache]
          locked: [locked]
        """

    /// Processes whose working directory is under `directory`: the recipe starts redis-server there.
    func leftovers(under directory: URL) -> [String] {
        ProcessTree.processes(workingUnder: directory)
    }

    @Test func runStartsAnEmptyRedisLoadsItMeasuresAndStopsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-kv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("kv.yaml")
        try Self.spec.write(to: file, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 120)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("variant direct: cache"), "\(outcome.stdout)")

        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        // The runner authenticates with the password of the stack's entry component.
        #expect(record.trials.map(\.variant) == ["direct", "locked"])
        #expect(record.trials.last?.load.errors.total == 0)
        #expect((record.trials.last?.load.requests.completed ?? 0) > 100)
        let trial = try #require(record.trials.first)
        #expect(trial.load.dataLoad?.records == 2_000)
        #expect(trial.load.requests.completed > 100)
        #expect(trial.load.errors.total == 0)
        #expect(trial.load.target.method == "YCSB-B")
        #expect(trial.components.map(\.name) == ["cache"])
        #expect(trial.components[0].usage.cpuSeconds > 0)
        #expect((trial.components[0].storedBytes ?? 0) > 0)
        // The locked variant's drill: an RDB of its 2,000 keys restored by a second server with the password.
        let drill = try #require(record.recoveries?.first)
        #expect(record.recoveries?.count == 1 && drill.component == "locked" && drill.method == "rdb")
        #expect(drill.passed, "\(drill)")
        #expect(drill.sourceRows == 2_000 && drill.restoredRows == 2_000)
        // The generated configuration is kept with the run.
        let conf = runs.appendingPathComponent(run).appendingPathComponent("direct/cache/redis.conf")
        #expect(try String(contentsOf: conf, encoding: .utf8).contains("maxmemory \(64 * 1_048_576 * 8 / 10)"))
        #expect(leftovers(under: directory).isEmpty)
    }

    @Test func loadCommandSpeaksRedis() throws {
        let server = try RedisServer()
        defer { server.stop() }
        let url = "redis://127.0.0.1:\(server.port)"
        let outcome = try CommandRunner.run([
            "load", url, "--mix", "ycsb-c", "--records", "500", "-c", "2", "-t", "1", "-d", "1s", "-P", "4", "-q",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("stacklab load YCSB-C \(url)"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("data load  500 records"), "\(outcome.stdout)")
        #expect(try server.command("DBSIZE") == "500")

        let bad = try CommandRunner.run(["load", url, "--mix", "ycsb-z", "-d", "1s"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--mix 'ycsb-z' is not one of ycsb-a, ycsb-b, ycsb-c"), "\(bad.stderr)")
    }
}
