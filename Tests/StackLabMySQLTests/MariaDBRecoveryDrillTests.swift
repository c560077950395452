import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The `mariadb-dump` drill against a real MariaDB started by its recipe.
@Suite(
    .serialized,
    .enabled(
        if: TestMariaDB.isInstalled && ExecutableLookup.find("mariadb-dump", includeSystemDirectories: true) != nil,
        "MariaDB is not installed (apt-get install mariadb-server)"))
struct MariaDBRecoveryDrillTests {
    @Test func dumpRestoresTheSameRowsAndCatchesATamperedCopy() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-mysql-tests/drill-\(UUID().uuidString.prefix(8))")
        let ports = PortAllocator()
        let component = Component(
            name: "maria", kind: .mariadb, settings: ["backup": "mariadb-dump"],
            resources: Resources(both: .init(cpu: 1, memory: 256 * 1_048_576)))
        let plan = try ComponentRecipe.plan(
            component, port: try ports.next(), upstreamPort: nil, binDirectory: directory, runDirectory: directory,
            cpus: nil)
        // Stored bytes and IOPS are measured for the server's own data directory.
        #expect(plan.dataDirectory?.path == directory.appendingPathComponent("maria/data").path)
        let supervisor = try ProcessSupervisor(runDirectory: directory, grace: .seconds(20))
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        let stack = LocalStack(components: [.init(plan: plan, process: child)])
        let client = MariaDBBackup.Client(
            mariadb: ExecutableLookup.find("mariadb", includeSystemDirectories: true)!, port: plan.port,
            password: plan.component.settings["password"]!)
        #expect((StoredBytes.of(try #require(plan.dataDirectory).path) ?? 0) > 1_000_000)

        _ = try client.sql(
            """
            CREATE TABLE stacklab.items (id INT PRIMARY KEY, label VARCHAR(40)) ENGINE=InnoDB;
            INSERT INTO stacklab.items SELECT seq, MD5(seq) FROM stacklab.seq_1_to_5000;
            CREATE TABLE stacklab.orders (id INT PRIMARY KEY, total DECIMAL(10,2)) ENGINE=InnoDB;
            INSERT INTO stacklab.orders SELECT seq, seq * 1.5 FROM stacklab.seq_1_to_300;
            """)

        let drills = try await RecoveryDrills.run(stack, variant: "v", supervisor: supervisor, ports: ports)
        let drill = try #require(drills.first)
        #expect(drills.map(\.method) == ["mariadb-dump"])
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        #expect(drill.passed)
        #expect(drill.checks.map(\.name) == ["items", "orders"])
        #expect(drill.checks.map(\.restoredRows) == [5000, 300])
        #expect(drill.checks.allSatisfy { $0.sourceChecksum == $0.restoredChecksum && $0.sourceChecksum != "0" })
        #expect((drill.backupBytes ?? 0) > 100_000 && (drill.backupSeconds ?? 0) > 0 && (drill.restoreSeconds ?? 0) > 0)
        print(
            "drill mariadb mariadb-dump: backup \(drill.backupSeconds!)s \(drill.backupBytes!) B, "
                + "restore \(drill.restoreSeconds!)s")
        // The restored database is dropped after the check.
        #expect(try client.sql("SHOW DATABASES LIKE 'stacklab_restore'").isEmpty)

        // One row changed in the restored copy: same count, a different checksum, that table only.
        let tampered = try await RecoveryDrills.run(
            stack, variant: "v", supervisor: supervisor, ports: ports,
            afterRestore: { copy in
                _ = try client.sql("UPDATE \(copy.database!).orders SET total = 0 WHERE id = 7")
            })
        let changed = try #require(tampered.first)
        #expect(changed.failure == nil, "\(changed.failure ?? "")")
        #expect(!changed.passed)
        #expect(changed.mismatchedTables == ["orders"])
        #expect(changed.checks.first { $0.name == "orders" }?.restoredRows == 300)

        await supervisor.stopAll()
        #expect(supervisor.running.isEmpty)
        #expect(ProcessTree.processes(withArgument: directory.path).isEmpty)
    }

    @Test func theBackupSettingNamesTheMariaDBMethod() throws {
        let component = Component(name: "m", kind: .mariadb, settings: ["backup": "true"])
        #expect(try BackupSetting.methods(of: component) == ["mariadb-dump"])
        let error = #expect(throws: UserError.self) {
            try BackupSetting.methods(of: Component(name: "m", kind: .mariadb, settings: ["backup": "rdb"]))
        }
        #expect(
            error?.message == "component 'm': backup 'rdb' is not a method of mariadb; use true or one of mariadb-dump")
    }
}
