import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// The SQLite store on real files: what is written is what is read, and nothing is left half written.
struct SQLiteResultsStoreTests {
    @Test func aFullRunReadsBackEqual() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try RunRecordFixture.record(trials: 4)
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await store.beginRun(written)

        // A second connection, as another stacklab command would open it.
        let read = try await SQLiteResultsStore(path: directory.storePath).run(id: written.id)
        #expect(read == written)
        #expect(read?.trials.first?.latencyHistogram?.totalCount == 990)
        #expect(read?.trials.first?.load.series.count == 3)
    }

    @Test func theRunnersSequenceStoresEachTrialAsItFinishes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        let full = try RunRecordFixture.record(trials: 3)
        var begun = full
        begun.trials = []
        begun.configs = []
        begun.status = .running
        begun.finishedAt = nil
        try await store.beginRun(begun)
        #expect(try await store.run(id: full.id)?.status == .running)

        try await store.addConfigs(full.configs, toRun: full.id)
        for (index, trial) in full.trials.enumerated() {
            try await store.appendTrial(trial, toRun: full.id)
            #expect(try await store.run(id: full.id)?.trials.count == index + 1)
        }
        try await store.finishRun(id: full.id, status: .completed, abortReason: nil, finishedAt: full.finishedAt!)
        #expect(try await store.run(id: full.id) == full)
    }

    @Test func listsRunsNewestFirstWithTheirCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await store.beginRun(RunRecordFixture.record(id: "a-old", startedAt: "2026-11-01T00:00:00Z", trials: 1))
        try await store.beginRun(RunRecordFixture.record(id: "b-new", startedAt: "2026-11-02T00:00:00Z", trials: 4))
        try await store.beginRun(
            RunRecordFixture.record(id: "c-mid", startedAt: "2026-11-01T12:00:00Z", trials: 0, status: .aborted))

        let listings = try await store.runs(limit: nil)
        #expect(listings.map(\.id) == ["b-new", "c-mid", "a-old"])
        #expect(listings.map(\.trials) == [4, 0, 1])
        #expect(listings.map(\.variants) == [2, 0, 1])
        #expect(listings[1].status == .aborted && listings[1].abortReason == "interrupted (Ctrl-C)")
        #expect(try await store.runs(limit: 2).map(\.id) == ["b-new", "c-mid"])
    }

    @Test func resolvesPrefixesAndLatest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        await #expect(throws: UserError.self) { try await store.resolveRun("latest") }
        try await store.beginRun(RunRecordFixture.record(id: "20261101-000000-a", startedAt: "2026-11-01T00:00:00Z"))
        try await store.beginRun(RunRecordFixture.record(id: "20261102-000000-b", startedAt: "2026-11-02T00:00:00Z"))

        #expect(try await store.resolveRun("latest") == "20261102-000000-b")
        #expect(try await store.resolveRun("20261101") == "20261101-000000-a")
        #expect(try await store.resolveRun("20261102-000000-b") == "20261102-000000-b")
        let ambiguous = await #expect(throws: UserError.self) { try await store.resolveRun("2026110") }
        #expect(ambiguous?.message.contains("matches 2 runs") == true)
        let unknown = await #expect(throws: UserError.self) { try await store.resolveRun("nope") }
        #expect(unknown?.message.contains("no run 'nope'") == true)
    }

    @Test func deletingARunRemovesEveryRowOfIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        let kept = try RunRecordFixture.record(id: "kept", trials: 2)
        try await store.beginRun(try RunRecordFixture.record(id: "gone", trials: 4))
        try await store.beginRun(kept)

        #expect(try await store.deleteRun(id: "gone"))
        #expect(try await store.deleteRun(id: "gone") == false)
        #expect(try await store.run(id: "gone") == nil)
        #expect(try await store.run(id: "kept") == kept)

        let queue = try DatabaseQueue(path: directory.storePath)
        let counts = try await queue.read { db in
            try ["trials", "component_measurements", "histograms", "series", "component_configs"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
        // Only the kept run's rows: 2 trials, 3 component rows (app; nginx + app), 4 histograms, 6 seconds, 1 config.
        #expect(counts == [2, 3, 4, 6, 1])
    }

    @Test func rowsOfAnUnknownRunAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        await #expect(throws: UserError.self) {
            try await store.appendTrial(RunRecordFixture.trial(variant: "direct", repeatIndex: 1, rate: 1), toRun: "x")
        }
        // The schema refuses them too: foreign keys are enforced.
        let queue = try DatabaseQueue(path: directory.storePath)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO component_configs VALUES ('x', 0, 'v', 'c', 'f', 't')")
            }
        }
        let record = try RunRecordFixture.record()
        try await store.beginRun(record)
        await #expect(throws: UserError.self) { try await store.beginRun(record) }
    }

    @Test func aRunCancelledMidwayIsStoredAbortedWithItsFinishedTrials() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        let full = try RunRecordFixture.record(trials: 4)
        var begun = full
        begun.trials = []
        begun.status = .running
        begun.finishedAt = nil
        begun.abortReason = nil

        // The runner's sequence: begin, a trial at a time, and on cancellation finish as aborted.
        let running = Task {
            try await store.beginRun(begun)
            do {
                for trial in full.trials {
                    try await store.appendTrial(trial, toRun: full.id)
                    try await Task.sleep(for: .seconds(600))
                }
            } catch {
                try await store.finishRun(
                    id: full.id, status: .aborted, abortReason: "interrupted", finishedAt: "2026-11-29T10:15:30Z")
                throw error
            }
        }
        while try await store.run(id: full.id)?.trials.count != 1 { try await Task.sleep(for: .milliseconds(10)) }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }

        let stored = try #require(try await store.run(id: full.id))
        #expect(stored.status == .aborted)
        #expect(stored.abortReason == "interrupted")
        #expect(stored.trials == [full.trials[0]])
        #expect(stored.finishedAt == "2026-11-29T10:15:30Z")
    }
}

/// Schema v3-disk-ops: a database component's stored bytes and operations, and the run's drills.
struct StoredDataRoundTripTests {
    @Test func storedBytesOperationsAndDrillsReadBackEqual() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var record = try RunRecordFixture.record(trials: 2)
        record.trials[0].components[0].storedBytes = 41_000_000
        record.trials[0].components[0].usage.diskOperations = DiskOperations(
            reads: 12, writes: 340, scope: .device, device: "vda")
        let drill = RecoveryDrill(
            variant: "direct", component: "app", kind: "postgres", method: "basebackup", backupSeconds: 0.36,
            backupBytes: 40_505_344, restoreSeconds: 1.17,
            checks: [
                .init(name: "public.t", sourceRows: 3, restoredRows: 2, sourceChecksum: "a", restoredChecksum: "b")
            ])
        let store = try SQLiteResultsStore(path: directory.storePath)
        var begun = record
        begun.recoveries = nil
        try await store.beginRun(begun)
        try await store.addRecoveries([drill], toRun: record.id)
        record.recoveries = [drill]
        #expect(try await store.run(id: record.id) == record)
        let passed = try await DatabaseQueue(path: directory.storePath).read {
            try Bool.fetchOne($0, sql: "SELECT passed FROM recoveries")
        }
        #expect(passed == false)
    }
}

/// Schema v3-ingestion: a metrics backend's ingestion per trial reads back equal; other components keep none.
struct IngestionRoundTripTests {
    @Test func aBackendsIngestionReadsBackEqual() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var record = try RunRecordFixture.record(trials: 2)
        let ingestion = MetricsIngestion(
            samples: 31_680, samplesSinceStart: 250_112, activeSeries: 8_011, expectedPerSecond: 1_610)
        record.trials[1].components[0].ingestion = ingestion
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await store.beginRun(record)
        let stored = try await store.run(id: record.id)
        #expect(stored == record)
        #expect(stored?.trials[1].components[0].ingestion == ingestion)
        #expect(stored?.trials[0].components.allSatisfy { $0.ingestion == nil } == true)
    }
}
