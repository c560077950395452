import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

@testable import StackLabRunner

/// `stop()` (what Ctrl-C, SIGTERM and SIGHUP call) at the moments it used to be late or leave a false
/// measurement: while the stack starts, and during a trial's warm-up.
@Suite(.serialized)
struct RunnerStopTests {
    static let yaml = """
        name: stopped
        workload: { protocol: http, path: /json, rates: [200, 400], connections: 4, duration: 1s, warmup: 30s }
        components:
          app: { kind: app, runtime: swift }
        variants:
          direct: [app]
        """

    func runner(in directory: URL) throws -> (ExperimentRunner, SQLiteResultsStore) {
        let store = try SQLiteResultsStore(path: directory.appendingPathComponent("stacklab.sqlite").path)
        var options = ExperimentRunner.Options(
            runsDirectory: directory.appendingPathComponent("runs"),
            binDirectory: try CommandRunner.executable().deletingLastPathComponent())
        options.pinCPUs = false
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "stopped.yaml")
        return (ExperimentRunner(spec: spec, options: options, store: store), store)
    }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-stop-\(UUID().uuidString)")
    }

    /// Stopped as its stack starts: the app is not measured (no cold starts: five more starts, seconds), no trial
    /// runs, and the run is stored aborted with the reason given.
    @Test func stopDuringTheStartGivesUpTheStartAtOnce() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (runner, store) = try runner(in: directory)
        let (record, logs) = try await runner.run { event in
            if case .startingVariant = event { runner.stop(reason: "interrupted (SIGTERM)") }
        }
        #expect(record.status == .aborted)
        #expect(record.abortReason == "interrupted (SIGTERM)")
        #expect(record.trials.isEmpty)
        #expect((record.apps ?? []).isEmpty, "\(record.apps ?? [])")
        let stored = try #require(try await store.run(id: record.id))
        #expect(stored.status == .aborted && stored.abortReason == "interrupted (SIGTERM)")
        // No cold start was begun: those log as app-1 … app-5.
        let files = FileManager.default.enumerator(atPath: logs.path)?.allObjects as? [String] ?? []
        #expect(!files.contains { $0.hasSuffix("app-1.out.log") }, "\(files)")
        #expect(RunnerStoreTests.processes(under: directory).isEmpty)
    }

    /// Stopped during a warm-up: nothing was measured, so no trial is stored (it used to be, with 0 requests
    /// and a p50 of 0 µs).
    @Test func aTrialStoppedInItsWarmUpIsNotStored() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (runner, store) = try runner(in: directory)
        let (record, logs) = try await runner.run { event in
            if case .trialStarted = event {
                // A second into the 30 s warm-up.
                DispatchQueue.global().asyncAfter(deadline: .now() + 1) { runner.stop() }
            }
        }
        #expect(record.status == .aborted && record.abortReason == "interrupted (Ctrl-C)")
        #expect(record.trials.isEmpty, "\(record.trials.map(\.load.requests))")
        let stored = try #require(try await store.run(id: record.id))
        #expect(stored.trials.isEmpty)
        #expect(RunnerStoreTests.processes(under: directory).isEmpty)
        // The run directory holds keys and passwords: only its owner may enter it.
        let mode = try FileManager.default.attributesOfItem(atPath: logs.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// Two runs started in the same second get distinct ids, which still begin with the time and end with
    /// the name.
    @Test func runIDsOfTheSameSecondDiffer() {
        let now = Date()
        let first = ExperimentRunner.runID(name: "quick", at: now)
        let second = ExperimentRunner.runID(name: "quick", at: now)
        #expect(first != second)
        #expect(first.range(of: #"^\d{8}-\d{6}-[0-9a-f]{6}-quick$"#, options: .regularExpression) != nil, "\(first)")
        #expect(first.prefix(15) == second.prefix(15))
    }
}
