import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` of a `protocol: promql` workload from a spec alone: the run starts the synthetic targets the
/// backend's settings ask for, the backend scrapes them, each default query is measured in trials of its own with
/// no error, and nothing is left running; a query the backend cannot parse stops the run before any load.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"),
        "prometheus is not installed (stacklab install prometheus)"))
struct PromQLRunTests {
    static func spec(queries: String = "") -> String {
        """
        name: metrics
        repeats: 1
        workload:
          protocol: promql\(queries)
          rate: 20
          duration: 2s
          warmup: 1s
          timeout: 2s
          connections: 2
          threads: 1
        components:
          prom:
            kind: prometheus
            settings: { scrape_interval: 1s, retention: 1d, synthetic_targets: 2, synthetic_series: 100 }
        variants:
          prometheus: [prom]
        """
    }

    /// Runs `spec` in a directory of its own; the outcome, the store's path and the directory.
    static func run(_ spec: String) throws -> (outcome: CommandRunner.Outcome, store: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-promql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("metrics.yaml")
        try spec.write(to: file, atomically: true, encoding: .utf8)
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", directory.appendingPathComponent("runs").path, "--store", store, "-q"],
            timeout: 180)
        return (outcome, store, directory)
    }

    @Test func eachDefaultQueryIsMeasuredAgainstTheTargetsTheRunStarted() async throws {
        let (outcome, store, directory) = try Self.run(Self.spec())
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        #expect(record.trials.map { $0.workload ?? "" } == PromQLQuery.defaults.map(\.name))
        for trial in record.trials {
            #expect(trial.load.requests.completed >= 30, "\(trial.workload ?? ""): \(trial.load.requests)")
            #expect(trial.load.errors.total == 0, "\(trial.workload ?? ""): \(trial.load.errors)")
            // Prometheus's own counters over the window: the two targets' 100 series and its 5 per scrape, once
            // a second each (a 2 s window holds one to three scrapes of each target). The run waited for its
            // first scrape of every target (its target discovery sends updates at most every 5 s), so from the
            // first trial.
            let backend = try #require(trial.components.first)
            let ingestion = try #require(backend.ingestion, "\(trial.workload ?? ""): no ingestion read")
            #expect(ingestion.expectedPerSecond == 210)
            #expect((210...400).contains(ingestion.activeSeries ?? 0), "\(ingestion)")
            let ratio = (ingestion.perSecond(over: backend.usage.wallSeconds) ?? 0) / 210
            #expect(ratio > 0.4 && ratio < 1.6, "\(trial.workload ?? ""): \(ingestion), \(backend.usage.wallSeconds) s")
            #expect(ingestion.samplesSinceStart >= ingestion.samples && (backend.storedBytes ?? 0) > 0)
        }
        // The backend scraped the two targets the run started, on loopback ports of their own.
        let scrape = try #require(record.configs.first { $0.fileName == "scrape.yml" }).text
        #expect(scrape.components(separatedBy: "'127.0.0.1:").count == 3, "\(scrape)")
        #expect(ProcessTree.processes(workingUnder: directory).isEmpty)
    }

    @Test func aQueryThatDoesNotParseStopsTheRunBeforeLoad() async throws {
        let queries = "\n  queries: { up: up, broken: \"rate(up[5m]\" }"
        let (outcome, store, directory) = try Self.run(Self.spec(queries: queries))
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(outcome.exitCode != 0)
        #expect(outcome.stderr.contains("query 'broken' 'rate(up[5m]'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("parse error"), "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .aborted && record.trials.isEmpty)
        #expect(ProcessTree.processes(workingUnder: directory).isEmpty)
    }
}
