import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab run` end to end: the quickstart with the real reference app, and what is left afterwards.
@Suite(.serialized)
struct RunCommandTests {
    func runsDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-runs-\(UUID().uuidString)")
    }

    /// The one run stored in the store beside `runs`.
    func record(in runs: URL) async throws -> RunRecord {
        try await RunCommandTests.storedRun(store: Self.store(beside: runs))
    }

    static func store(beside runs: URL) -> String {
        runs.deletingLastPathComponent().appendingPathComponent(runs.lastPathComponent + ".sqlite").path
    }

    static func storedRun(store path: String) async throws -> RunRecord {
        let store = try SQLiteResultsStore(path: path)
        let listings = try await store.runs(limit: nil)
        #expect(listings.count == 1)
        let listing = try #require(listings.first)
        return try #require(try await store.run(id: listing.id))
    }

    /// Processes of the reference app started with a path under `runs`.
    func leftovers(under runs: URL) -> [String] {
        ProcessTree.described(withArgument: runs.path)
    }

    @Test func quickstartRunsEndToEndAndLeavesNothingBehind() async throws {
        let runs = runsDirectory()
        let outcome = try CommandRunner.run(
            [
                "run", "--duration", "1s", "--warmup", "0s", "--repeats", "1", "--runs-dir", runs.path, "-q",
                "--store", Self.store(beside: runs),
            ], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("variant direct: app"))
        // One repeat: no interval, and the terminal says so and shows the generator's verdict.
        #expect(outcome.stdout.contains("p99 (no interval)"))
        #expect(outcome.stdout.contains("n=1: no interval"))
        #expect(outcome.stdout.contains("generator"))
        #expect(outcome.stdout.contains("stacklab (load)"))
        let record = try await record(in: runs)
        #expect(record.status == .completed)
        #expect(record.specSource?.contains("name: quickstart") == true)
        #expect(outcome.stdout.contains("stacklab show \(record.id) --store \(Self.store(beside: runs))"))
        #expect(outcome.stdout.contains("stacklab report \(record.id) --format html -o \(record.id).html"))
        #expect(record.trials.allSatisfy { $0.latencyHistogram != nil && !$0.load.series.isEmpty })
        // A capacity search: each rate the one the search asks for after the verdicts before it, from 500/s up, and
        // the terminal gives the limit it found or says that 32,000/s passed.
        let search = CapacitySearch(from: 500, to: 32_000, precision: 0.1)
        var probes: [CapacitySearch.Probe] = []
        for trial in record.trials {
            #expect(trial.offeredRate == search.next(after: probes), "\(probes)")
            probes.append(.init(rate: trial.offeredRate ?? 0, passed: trial.load.thresholds.allSatisfy(\.passed)))
        }
        #expect(search.next(after: probes) == nil, "the search ended early: \(probes)")
        #expect(outcome.stdout.contains("highest rate within the SLO") || outcome.stdout.contains("no offered rate"))
        for trial in record.trials {
            #expect(trial.load.requests.completed > 0)
            #expect(trial.components.map(\.name) == ["app"])
            // The app served requests, so it used CPU and memory in the measured window.
            #expect(trial.components[0].usage.cpuSeconds > 0)
            #expect(trial.components[0].usage.peakRSSBytes > 1_000_000)
        }
        #expect(record.fingerprint.cores > 0 && !record.fingerprint.kernel.isEmpty)
        #expect(leftovers(under: runs).isEmpty)
    }

    @Test func interruptingARunKeepsFinishedTrialsAndStopsTheApp() async throws {
        let runs = runsDirectory()
        let process = Process()
        process.executableURL = try CommandRunner.executable()
        process.arguments = [
            "run", "--duration", "2s", "--warmup", "0s", "--repeats", "1", "--runs-dir", runs.path, "-q",
            "--store", Self.store(beside: runs),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Let the first trial finish and be stored (app start, 2 s of load) and the second begin: a trial cut
        // short is not stored, so interrupting the first would leave none.
        let path = Self.store(beside: runs)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            // Opened once stacklab has made it, so that the two do not race to create it.
            if FileManager.default.fileExists(atPath: path), let store = try? SQLiteResultsStore(path: path),
                let trials = try? await store.runs(limit: nil).first?.trials, trials >= 1
            {
                break
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(process.signal(SIGINT), "the run ended before the signal")
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let record = try await record(in: runs)
        #expect(record.status == .aborted)
        #expect(record.abortReason == "interrupted (Ctrl-C)")
        #expect(record.trials.count >= 1 && record.trials.count < 4)
        #expect(leftovers(under: runs).isEmpty)
    }

    @Test func builtInQuickstartIsTheShippedExample() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/quickstart.yaml")
        let shipped = try String(contentsOf: example, encoding: .utf8)
        let outcome = try CommandRunner.run(["validate", example.path])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/stacklab/Quickstart.swift")
        // The formatter indents the raw string's lines; compare them without their indentation.
        func unindented(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.drop { $0 == " " } }.joined(separator: "\n")
        }
        #expect(unindented(try String(contentsOf: source, encoding: .utf8)).contains(unindented(shipped)))
    }
}

/// A component that cannot start fails the run before any load, with its log tail.
@Suite(.serialized)
struct RunFailureTests {
    @Test func componentThatFailsToStartShowsItsLogTail() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-fail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spec = directory.appendingPathComponent("broken.yaml")
        try """
        name: broken
        repeats: 1
        workload: { protocol: http, path: /json, rate: 100, duration: 1s }
        components:
          app: { kind: app, runtime: swift, settings: { db_path: /nonexistent/dir/app.sqlite } }
        variants:
          direct: [app]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("stacklab.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "-q", "--store", store], timeout: 120)
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("app"))
        #expect(outcome.stderr.contains("/nonexistent/dir/app.sqlite"), "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .aborted && record.trials.isEmpty)
        #expect(record.abortReason?.contains("/nonexistent/dir/app.sqlite") == true)
    }
}
