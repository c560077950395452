import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// Backup and restore drills, stored bytes and storage operations with real PostgreSQL and Redis servers.
@Suite(
    .serialized,
    .enabled(
        if: PostgresRecipe.binDirectory() != nil && RedisServer.isInstalled
            && ExecutableLookup.find("redis-cli", includeSystemDirectories: true) != nil,
        "PostgreSQL or Redis is not installed (apt-get install postgresql redis-server)"))
struct RecoveryDrillTests {
    typealias Started = RecipeStart

    /// The password of every postgres cluster these tests start, and of the copies made from them.
    static let password = "drill-test-password"

    func start(_ component: Component) async throws -> Started {
        var component = component
        if component.kind == .postgres { component.settings["password"] = Self.password }
        return try await RecipeStart.start(component)
    }

    func psql(_ port: Int, _ sql: String, database: String = "postgres") throws -> String {
        try PostgresBackup.Tools(bin: PostgresRecipe.binDirectory()!, password: Self.password).sql(
            port: port, database: database, sql)
    }

    /// Waits until a fresh cluster accepts queries (its port opens a little before).
    func waitForQueries(_ port: Int) async throws {
        _ = try await RecoveryDrills.waitUntil(timeout: .seconds(30)) { (try? psql(port, "SELECT 1")) == "1" }
    }

    func redis(_ port: Int, _ words: String...) throws -> String {
        let cli = ExecutableLookup.find("redis-cli", includeSystemDirectories: true)!
        return try HelperCommand.capture(cli, ["-h", "127.0.0.1", "-p", String(port)] + words).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func expectNothingLeft(_ started: Started) async {
        await started.supervisor.stopAll()
        #expect(started.supervisor.running.isEmpty)
        #expect(ProcessTree.processes(withArgument: started.directory.path).isEmpty)
    }

    @Test func postgresDrillsRestoreTheSameRowsAndCatchATamperedCopy() async throws {
        let started = try await start(
            Component(name: "pg", kind: .postgres, settings: ["backup": "true"]))
        let port = started.plan.port
        try await waitForQueries(port)
        _ = try psql(
            port, "CREATE TABLE items AS SELECT g AS id, md5(g::text) AS label FROM generate_series(1, 5000) g")
        _ = try psql(port, "CREATE SCHEMA shop; CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric)")
        _ = try psql(port, "INSERT INTO shop.orders SELECT g, g * 1.5 FROM generate_series(1, 300) g")

        let drills = try await RecoveryDrills.run(
            started.stack, variant: "v", supervisor: started.supervisor, ports: started.ports)
        #expect(drills.map(\.method) == ["pg_dump", "basebackup"])
        for drill in drills {
            #expect(drill.failure == nil, "\(drill.failure ?? "")")
            #expect(drill.passed)
            #expect(drill.checks.map(\.name) == ["public.items", "shop.orders"])
            #expect(drill.checks.map(\.restoredRows) == [5000, 300])
            #expect((drill.backupBytes ?? 0) > 0 && (drill.backupSeconds ?? 0) > 0 && (drill.restoreSeconds ?? 0) > 0)
            print(
                "drill postgres \(drill.method): backup \(drill.backupSeconds!)s \(drill.backupBytes!) B, restore \(drill.restoreSeconds!)s"
            )
        }
        // The source's checksum is what the restored copy answers for the same rows.
        #expect(drills[0].checks[0].sourceChecksum == drills[1].checks[0].restoredChecksum)
        // Only the copy is checked: the drills leave no restored database or second cluster behind.
        #expect(try psql(port, "SELECT count(*) FROM pg_database WHERE datname = 'stacklab_restore'") == "0")
        #expect(started.supervisor.running.map(\.name) == ["pg"])

        // One row gone from each restored copy is a mismatch of that table, with its counts.
        let tampered = try await RecoveryDrills.run(
            started.stack, variant: "v", supervisor: started.supervisor, ports: started.ports,
            afterRestore: { copy in
                _ = try psql(copy.port, "DELETE FROM shop.orders WHERE id = 7", database: copy.database!)
            })
        for drill in tampered {
            #expect(drill.failure == nil, "\(drill.failure ?? "")")
            #expect(!drill.passed)
            #expect(drill.mismatchedTables == ["shop.orders"])
            #expect(drill.checks.first { $0.name == "shop.orders" }?.restoredRows == 299)
        }
        await expectNothingLeft(started)
    }

    @Test func postgresStoredBytesGrowAndFsyncedInsertsCountWriteOperations() async throws {
        let started = try await start(Component(name: "pgio", kind: .postgres))
        let port = started.plan.port
        try await waitForQueries(port)
        let data = try #require(started.plan.dataDirectory)
        _ = try psql(port, "CHECKPOINT")
        let before = try #require(StoredBytes.of(data.path))

        let sampler = ResourceSampler(started.child, dataDirectory: data)
        sampler.start()
        _ = try psql(port, "CREATE TABLE grow (id int, payload text)")
        // Separate commits, each flushed to the WAL (fsync and synchronous_commit are on).
        for batch in 0..<20 {
            _ = try psql(
                port,
                "INSERT INTO grow SELECT g, repeat('x', 200) FROM generate_series(\(batch * 2000), \(batch * 2000 + 1999)) g"
            )
        }
        _ = try psql(port, "CHECKPOINT")
        let usage = sampler.stop()
        let after = try #require(StoredBytes.of(data.path))
        print("postgres stored \(before) -> \(after) B; ops \(String(describing: usage.diskOperations))")
        // 40,000 rows of 200 bytes: several megabytes more on disk.
        #expect(after > before + 4_000_000, "\(before) → \(after)")
        let operations = try #require(usage.diskOperations)
        #expect(operations.writes > 0 && operations.scope == .device && operations.device != nil)
        #expect((usage.writeIOPS ?? 0) > 0)
        await expectNothingLeft(started)
    }

    @Test func redisDrillRestoresEveryKeyWithTheSameDigest() async throws {
        let started = try await start(
            Component(name: "kv", kind: .redis, settings: ["backup": "rdb", "persistence": "aof"]))
        let port = started.plan.port
        let data = try #require(started.plan.dataDirectory)
        let sampler = ResourceSampler(started.child, dataDirectory: data)
        sampler.start()
        #expect(try redis(port, "DEBUG", "POPULATE", "20000", "key", "64") == "OK")
        // An AOF rewrite writes the keys to disk within the window.
        _ = try redis(port, "BGREWRITEAOF")
        _ = try await RecoveryDrills.waitUntil(timeout: .seconds(30)) {
            try redis(port, "INFO", "persistence").contains("aof_rewrite_in_progress:0")
        }
        let usage = sampler.stop()
        #expect((usage.diskOperations?.writes ?? 0) > 0)

        let drills = try await RecoveryDrills.run(
            started.stack, variant: "v", supervisor: started.supervisor, ports: started.ports)
        let drill = try #require(drills.first)
        #expect(drills.count == 1 && drill.method == "rdb")
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        #expect(drill.passed)
        #expect(drill.checks.first?.sourceRows == 20000 && drill.checks.first?.restoredRows == 20000)
        #expect((drill.backupBytes ?? 0) > 100_000)
        print(
            "drill redis rdb: backup \(drill.backupSeconds!)s \(drill.backupBytes!) B, restore \(drill.restoreSeconds!)s"
        )

        let tampered = try await RecoveryDrills.run(
            started.stack, variant: "v", supervisor: started.supervisor, ports: started.ports,
            afterRestore: { copy in _ = try redis(copy.port, "DEL", "key:17") })
        #expect(tampered.first?.passed == false)
        #expect(tampered.first?.checks.first?.restoredRows == 19999)
        #expect(tampered.first?.checks.first?.restoredChecksum != tampered.first?.checks.first?.sourceChecksum)
        await expectNothingLeft(started)
    }

    @Test func theBackupSettingNamesMethodsOfTheKind() throws {
        #expect(
            try BackupSetting.methods(of: Component(name: "a", kind: .postgres, settings: ["backup": "true"]))
                == ["pg_dump", "basebackup"])
        #expect(
            try BackupSetting.methods(
                of: Component(name: "a", kind: .postgres, settings: ["backup": "basebackup, pg_dump"]))
                == ["pg_dump", "basebackup"])
        #expect(
            try BackupSetting.methods(of: Component(name: "a", kind: .redis, settings: ["backup": "false"])).isEmpty)
        let error = #expect(throws: UserError.self) {
            try RedisRecipe.configuration(
                Component(name: "kv", kind: .redis, settings: ["backup": "pg_dump"]), port: 1,
                directory: URL(fileURLWithPath: "/tmp"))
        }
        #expect(error?.message == "component 'kv': backup 'pg_dump' is not a method of redis; use true or one of rdb")
    }

    @Test func storedBytesCountAllocatedBlocksAndDoNotFollowLinksOut() throws {
        let directory = makeRunDirectory()
        let outside = makeRunDirectory("outside")
        try Data(count: 1_000_000).write(to: outside.appendingPathComponent("big"))
        let empty = try #require(StoredBytes.of(directory.path))
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("link"), withDestinationURL: outside)
        let withLink = try #require(StoredBytes.of(directory.path))
        #expect(withLink < empty + 100_000)
        try Data(repeating: 1, count: 300_000).write(to: directory.appendingPathComponent("file"))
        #expect(try #require(StoredBytes.of(directory.path)) >= withLink + 300_000)
    }
}
