import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// PostgreSQL's backup and restore drills: a logical dump restored into a fresh database on the same
/// server, and a physical base backup started as a second cluster.
///
/// - `pg_dump`: `pg_dump -Fc` of database `postgres`, then `pg_restore` into a new database
///   `stacklab_restore` on the same server (dropped after the check). Restore time: creating the database
///   and `pg_restore`.
/// - `basebackup`: `pg_basebackup -X stream` (a consistent copy with its WAL), started with `postgres` on a
///   new loopback port. Restore time: from starting that server until it answers a query (crash recovery
///   included). The copy is stopped and its directory removed after the check.
///
/// Every user table (every schema but `pg_catalog` and `information_schema`) is compared: its row count,
/// and md5 over the md5 of each row's text, sorted, so the order rows are stored in does not matter.
enum PostgresBackup {
    static let methods = ["pg_dump", "basebackup"]
    static let database = "postgres"
    static let restoreDatabase = "stacklab_restore"

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        guard let bin = PostgresRecipe.binDirectory() else {
            throw UserError("PostgreSQL's tools are not installed (apt-get install postgresql)")
        }
        let tools = Tools(bin: bin, password: context.plan.endpoint.password)
        let port = context.plan.port
        let source = try tools.tables(port: port, database: database)
        switch context.method {
        case "pg_dump":
            try await dumpAndRestore(context, tools: tools, source: source, into: &record)
        case "basebackup":
            try await baseBackup(context, tools: tools, source: source, into: &record)
        default:
            throw UserError("postgres has no backup method '\(context.method)'")
        }
    }

    private static func dumpAndRestore(
        _ context: RecoveryDrills.Context, tools: Tools, source: [TableDigest], into record: inout RecoveryDrill
    ) async throws {
        let port = context.plan.port
        let file = context.directory.appendingPathComponent("\(database).dump")
        let (_, backupSeconds) = try await RecoveryDrills.timed {
            try tools.require(
                "pg_dump", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-Fc", "-f", file.path, database])
        }
        record.backupSeconds = backupSeconds
        record.backupBytes = StoredBytes.of(file.path)
        _ = try tools.sql(port: port, database: database, "DROP DATABASE IF EXISTS \(restoreDatabase)")
        defer { _ = try? tools.sql(port: port, database: database, "DROP DATABASE IF EXISTS \(restoreDatabase)") }
        let (_, restoreSeconds) = try await RecoveryDrills.timed {
            _ = try tools.sql(port: port, database: database, "CREATE DATABASE \(restoreDatabase)")
            try tools.require(
                "pg_restore",
                ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", restoreDatabase, file.path])
        }
        record.restoreSeconds = restoreSeconds
        try context.afterRestore?(.init(method: context.method, port: port, database: restoreDatabase))
        record.checks = compare(source, try tools.tables(port: port, database: restoreDatabase))
    }

    private static func baseBackup(
        _ context: RecoveryDrills.Context, tools: Tools, source: [TableDigest], into record: inout RecoveryDrill
    ) async throws {
        let port = context.plan.port
        let asRoot = getuid() == 0
        // PostgreSQL runs as `postgres` when StackLab runs as root: the copy must be that user's, in a directory
        // it can reach (the run directory may be under /root), as the recipe does for the cluster itself.
        let parent: URL
        if asRoot {
            parent = try PostgresRecipe.scratchDirectory(component: context.component.name)
        } else {
            parent = context.directory.appendingPathComponent("basebackup")
            try? FileManager.default.removeItem(at: parent)
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        let data = parent.appendingPathComponent("data")
        defer { PostgresRecipe.removeScratch(parent) }
        let backup = [
            tools.path("pg_basebackup"), "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-D", data.path,
            "-X", "stream", "-c", "fast", "--no-sync",
        ]
        let (_, backupSeconds) = try await RecoveryDrills.timed {
            try tools.require(asRoot ? PostgresRecipe.asServiceUser(backup) : backup)
        }
        record.backupSeconds = backupSeconds
        record.backupBytes = StoredBytes.of(data.path)

        let copyPort = try context.ports.next()
        let server = [tools.path("postgres"), "-D", data.path, "-c", "port=\(copyPort)"]
        let launch = asRoot ? PostgresRecipe.asServiceUser(server) : server
        let supervisor = context.supervisor
        let (child, restoreSeconds) = try await RecoveryDrills.timed { () async throws -> ChildProcess in
            try await RecoveryDrills.startCopy(
                LaunchCommand(
                    name: "\(context.component.name)-basebackup", executable: launch[0],
                    arguments: Array(launch.dropFirst()), workingDirectory: parent.path),
                supervisor: supervisor, what: "the base backup's server on port \(copyPort)", log: \.standardErrorLog
            ) { (try? tools.sql(port: copyPort, database: database, "SELECT 1")) == "1" }
        }
        record.restoreSeconds = restoreSeconds
        do {
            try context.afterRestore?(.init(method: context.method, port: copyPort, database: database))
            record.checks = compare(source, try tools.tables(port: copyPort, database: database))
        } catch {
            await supervisor.stop(child)
            throw error
        }
        await supervisor.stop(child)
    }

    /// One table's row count and digest.
    struct TableDigest: Sendable, Equatable {
        var name: String
        var rows: Int
        var checksum: String
    }

    /// Source and restored tables side by side, every table of either, in name order.
    static func compare(_ source: [TableDigest], _ restored: [TableDigest]) -> [RecoveryDrill.DataCheck] {
        let copies = Dictionary(restored.map { ($0.name, $0) }) { first, _ in first }
        var checks = source.map { table in
            RecoveryDrill.DataCheck(
                name: table.name, sourceRows: table.rows, restoredRows: copies[table.name]?.rows,
                sourceChecksum: table.checksum, restoredChecksum: copies[table.name]?.checksum)
        }
        // A table only the copy has is a difference too.
        for table in restored where !source.contains(where: { $0.name == table.name }) {
            checks.append(
                .init(
                    name: table.name, sourceRows: 0, restoredRows: table.rows, sourceChecksum: "(absent)",
                    restoredChecksum: table.checksum))
        }
        return checks.sorted { $0.name < $1.name }
    }

    /// PostgreSQL's client tools of one installation, run as the current user over loopback TCP.
    struct Tools: Sendable {
        var bin: URL
        /// The cluster's password for user `postgres`, given to every tool as `PGPASSWORD`.
        var password: String?

        func path(_ tool: String) -> String { bin.appendingPathComponent(tool).path }

        /// This process's environment with `PGPASSWORD`; a password file or the command line would show it.
        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            if let password { environment["PGPASSWORD"] = password }
            return environment
        }

        /// Runs a tool of the installation; throws with its last lines when it fails.
        func require(_ tool: String, _ arguments: [String]) throws {
            try require([path(tool)] + arguments)
        }

        func require(_ command: [String]) throws {
            let outcome = try HelperCommand.capture(command[0], Array(command.dropFirst()), environment: environment)
            guard outcome.status == 0 else {
                let tool = URL(fileURLWithPath: command.first { $0.hasPrefix(bin.path) } ?? command[0])
                    .lastPathComponent
                throw UserError(
                    "\(tool) failed (status \(outcome.status)): "
                        + outcome.output.split(separator: "\n").suffix(3).joined(separator: " / "))
            }
        }

        /// The unaligned, tuples-only answer of `sql`.
        func sql(port: Int, database: String, _ sql: String) throws -> String {
            let outcome = try HelperCommand.capture(
                path("psql"),
                [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-X", "-v",
                    "ON_ERROR_STOP=1", "-Atc", sql,
                ], environment: environment)
            guard outcome.status == 0 else {
                throw UserError(
                    "psql on port \(port) failed: "
                        + outcome.output.split(separator: "\n").suffix(2).joined(separator: " / "))
            }
            return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Every user table of `database` with its row count and digest, in name order.
        func tables(port: Int, database: String) throws -> [TableDigest] {
            let names = try sql(
                port: port, database: database,
                """
                SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
                WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
                """
            ).split(separator: "\n").map(String.init)
            return try names.map { name in
                let answer = try sql(
                    port: port, database: database,
                    "SELECT count(*) || ' ' || md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
                        + "FROM \(name) AS t")
                let parts = answer.split(separator: " ")
                guard parts.count == 2, let rows = Int(parts[0]) else {
                    throw UserError("unexpected answer counting \(name): \(answer)")
                }
                return TableDigest(name: name, rows: rows, checksum: String(parts[1]))
            }
        }
    }
}
