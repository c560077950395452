import Foundation
import StackLabCore
import StackLabRunner
import StackLabStore
import StackLabTestSupport
import Testing

/// A capacity search run for real against a server whose limit is known: it serves exactly 400 requests/s and
/// queues the rest (a token bucket), so a rate above 400/s builds a queue whose wait breaks the SLO within a
/// trial, and a rate below it waits for nothing.
@Suite(.serialized)
struct CapacitySearchRunTests {
    static let limit = 400.0
    static let yaml = """
        name: search
        repeats: 2
        slo: { p99: 25ms }
        workload:
          protocol: http
          path: /hello
          capacity: { from: 100/s, to: 3200/s, precision: 5% }
          connections: 16
          duration: 2s
          warmup: 0s
        components:
          web: { kind: app, runtime: swift }
        variants:
          remote: [web]
        """

    @Test func theSearchFindsAKnownLimitWithinItsPrecision() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteResultsStore(path: directory.appendingPathComponent("stacklab.sqlite").path)
        let calls = BackendSeamTests.Calls()
        var options = ExperimentRunner.Options(
            runsDirectory: directory.appendingPathComponent("runs"), binDirectory: URL(fileURLWithPath: "/nonexistent"),
            backend: BackendSeamTests.ServerBackend(calls: calls, serviceRate: Self.limit))
        options.pinCPUs = false
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "search.yaml")
        let runner = ExperimentRunner(spec: spec, options: options, store: store)
        let counts = BackendSeamTests.Calls()

        let (record, _) = try await runner.run { event in
            if case .trialStarted(_, let total, let plan) = event { counts.append("\(total) \(plan.rate ?? 0)") }
        }

        #expect(record.status == .completed)
        // One stack for the whole search: its rates depend on each other's verdicts.
        #expect(calls.all.filter { $0.hasPrefix("start") }.count == 1)
        let limit = try #require(SweepLimit(record.trials))
        let found = try #require(limit.highestRateWithinSLO, "\(Self.table(record))")
        let failure = try #require(limit.lowestFailure, "\(Self.table(record))")
        // Within the stated precision of each other, and around the server's rate: a rate above 400/s cannot
        // pass (its queue grows 2 s long); a loaded machine may fail a rate a little below it.
        #expect(failure <= found * 1.05 + 1, "\(Self.table(record))")
        #expect(found <= Self.limit * 1.03 && found >= Self.limit * 0.85, "\(Self.table(record))")
        // Every repeat of a passing rate was run, back to back, before the next rate.
        for rate in Set(record.trials.compactMap(\.offeredRate)) where rate <= found {
            #expect(record.trials.filter { $0.offeredRate == rate }.map(\.repeatIndex) == [1, 2])
        }
        // Progress counts against the search's most trials, and the run took fewer.
        let search = CapacitySearch(from: 100, to: 3_200, precision: 0.05)
        #expect(counts.all.allSatisfy { $0.hasPrefix("\(search.maximumProbes * 2) ") })
        #expect(record.trials.count < search.maximumProbes * 2)
        let stored = try #require(try await store.run(id: record.id))
        #expect(stored == record)
    }

    static func table(_ record: RunRecord) -> String {
        record.trials.map {
            "\($0.offeredRate ?? 0)/s #\($0.repeatIndex): \(Int($0.load.achievedRate))/s p99 "
                + "\(Int($0.load.latency.p99)) µs \($0.load.thresholds.allSatisfy(\.passed) ? "pass" : "fail")"
        }.joined(separator: "\n")
    }
}
