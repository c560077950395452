import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// A store written by an earlier StackLab opens with its runs intact and gains what later versions add.
struct StoreMigrationTests {
    @Test func aVersion1StoreMigratesWithItsRunsIntact() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let record = try RunRecordFixture.record(trials: 2)

        // A store as the v1 schema made it, filled with what a v1 StackLab wrote: the same rows as today's
        // store writes, without the columns and table v2 added.
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let current = try SQLiteResultsStore(path: scratch.storePath)
        var v1Record = record
        v1Record.configs = []
        try await current.beginRun(v1Record)
        let v1 = try DatabaseQueue(path: directory.storePath)
        try StoreSchema.migrator.migrate(v1, upTo: "v1")
        try await OlderStore.copyRows(from: scratch.storePath, into: v1)
        #expect(try await v1.read { try $0.columns(in: "runs").contains { $0.name == "writer_pid" } } == false)
        #expect(try await v1.read { try $0.tableExists("component_configs") } == false)
        try v1.close()

        let store = try SQLiteResultsStore(path: directory.storePath)
        #expect(try await store.run(id: record.id) == v1Record)
        // What v2 added works on the migrated store.
        try await store.addConfigs(record.configs, toRun: record.id)
        #expect(try await store.run(id: record.id) == record)
        let applied = try await DatabaseQueue(path: directory.storePath).read {
            try StoreSchema.migrator.appliedIdentifiers($0)
        }
        // Every migration, the later ones (v3-…) included.
        #expect(applied == Set(StoreSchema.migrator.migrations))
        #expect(applied.isSuperset(of: ["v1", "v2", "v3-app-facts", "v3-disk-ops", "v3-workloads", "v3-ingestion"]))
    }

    @Test func aRunningRunOfAVersion1StoreHasNoKnownWriterAndIsAborted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let v1 = try DatabaseQueue(path: directory.storePath)
        try StoreSchema.migrator.migrate(v1, upTo: "v1")
        try await v1.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, name, status, started_at, spec_json, fingerprint_json, stacklab_version)
                    VALUES ('old', 'gateways', 'running', '2026-01-01T00:00:00Z', ?, ?, '0.0.9')
                    """,
                arguments: [
                    String(decoding: try JSONEncoder().encode(RunRecordFixture.spec()), as: UTF8.self),
                    String(decoding: try JSONEncoder().encode(RunRecordFixture.record().fingerprint), as: UTF8.self),
                ])
        }
        try v1.close()
        let store = try SQLiteResultsStore(path: directory.storePath)
        let run = try #require(try await store.run(id: "old"))
        #expect(run.status == .aborted && run.abortReason == SQLiteResultsStore.abandonedReason)
        #expect(run.trials.isEmpty && run.configs.isEmpty && run.specSource == nil)
    }

    @Test func aStoreFromANewerStackLabIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var future = StoreSchema.migrator
        future.registerMigration("v99") { db in try db.execute(sql: "CREATE TABLE future (x)") }
        try future.migrate(DatabaseQueue(path: directory.storePath))
        let error = #expect(throws: UserError.self) { try SQLiteResultsStore(path: directory.storePath) }
        #expect(error?.message.contains("newer StackLab") == true)
    }
}
