import Foundation
import StackLabCore
import StackLabRunner
import StackLabStore
import StackLabTestSupport
import Testing

/// The runner writes through the results store: a run begun, each trial as it finishes, then its end.
@Suite(.serialized)
struct RunnerStoreTests {
    static let yaml = """
        name: cancelled
        repeats: 1
        workload: { protocol: http, path: /json, rates: [200, 400, 800, 1600], connections: 4, duration: 2s, warmup: 0s }
        components:
          app: { kind: app, runtime: swift }
        variants:
          direct: [app]
        """

    /// Processes started with a path under `directory` (the reference app's database is there).
    static func processes(under directory: URL) -> [String] {
        ProcessTree.described(withArgument: directory.path)
    }

    @Test func cancellingTheRunStoresItAbortedWithItsFinishedTrials() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteResultsStore(path: directory.appendingPathComponent("stacklab.sqlite").path)
        var options = ExperimentRunner.Options(
            runsDirectory: directory.appendingPathComponent("runs"),
            // `swift build --build-tests` puts stacklab-refapp beside stacklab.
            binDirectory: try CommandRunner.executable().deletingLastPathComponent())
        options.pinCPUs = false
        options.specSource = Self.yaml
        let runner = ExperimentRunner(
            spec: try ExperimentSpec(yaml: Self.yaml, file: "cancelled.yaml"), options: options, store: store)

        let running = Task { try await runner.run { _ in } }
        // Cancel once the first trial is stored, during the second.
        let deadline = Date().addingTimeInterval(120)
        var id: String?
        while Date() < deadline {
            if let listing = try await store.runs(limit: nil).first, listing.trials >= 1 {
                id = listing.id
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        let result = await running.result
        let storedID = try #require(id, "no trial was stored within 120 s")

        let stored = try #require(try await store.run(id: storedID))
        #expect(stored.status == .aborted)
        #expect(stored.abortReason == "interrupted")
        #expect(stored.trials.count >= 1 && stored.trials.count < 4)
        #expect(stored.trials[0].offeredRate == 200 && stored.trials[0].load.requests.completed > 0)
        #expect(stored.finishedAt != nil)
        #expect(stored.specSource == Self.yaml)
        #expect(Self.processes(under: directory).isEmpty)
        // What run() returned (or threw) agrees with what was stored.
        if case .success(let returned) = result {
            #expect(returned.record == stored)
        }
    }

    @Test func aCompletedRunIsStoredAsRunReturnedIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteResultsStore(path: directory.appendingPathComponent("stacklab.sqlite").path)
        var options = ExperimentRunner.Options(
            runsDirectory: directory.appendingPathComponent("runs"),
            binDirectory: try CommandRunner.executable().deletingLastPathComponent())
        options.pinCPUs = false
        var spec = try ExperimentSpec(yaml: Self.yaml, file: "one.yaml")
        spec.workload.durationNanoseconds = 500_000_000
        let runner = ExperimentRunner(spec: spec, options: options, store: store)

        let (record, logs) = try await runner.run { _ in }
        #expect(record.status == .completed && record.trials.count == 4)
        #expect(try await store.run(id: record.id) == record)
        #expect(FileManager.default.fileExists(atPath: logs.path))
        #expect(!FileManager.default.fileExists(atPath: logs.appendingPathComponent("run.json").path))
    }
}
