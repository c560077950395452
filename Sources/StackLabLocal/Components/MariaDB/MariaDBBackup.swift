import Foundation
import StackLabCore

/// MariaDB's backup and restore drill: a logical dump imported into a fresh database on the same server.
///
/// `mariadb-dump`: `mariadb-dump --single-transaction` of database `stacklab` (one consistent InnoDB snapshot,
/// no table locks) as user `stacklab` over 127.0.0.1, written to `<component>.backup/stacklab.sql`. Restore
/// time: creating database `stacklab_restore` and importing the dump with the `mariadb` client. Every base
/// table is compared by `COUNT(*)` and `CHECKSUM TABLE` (a checksum of the table's rows, independent of their
/// order, computed by the server); the restored database is dropped after the check.
///
/// The password goes to the tools in `MYSQL_PWD`, never on a command line another user could read.
enum MariaDBBackup {
    static let methods = ["mariadb-dump"]
    static let restoreDatabase = "stacklab_restore"

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        guard let dump = ExecutableLookup.find("mariadb-dump", includeSystemDirectories: true),
            let mariadb = ExecutableLookup.find("mariadb", includeSystemDirectories: true)
        else {
            throw UserError("mariadb-dump or mariadb is not installed (apt-get install mariadb-client)")
        }
        let client = Client(
            mariadb: mariadb, port: context.plan.port, password: context.plan.endpoint.password ?? "")
        let source = try client.tables(MariaDBRecipe.database)

        let file = context.directory.appendingPathComponent("\(MariaDBRecipe.database).sql")
        let (_, backupSeconds) = try await RecoveryDrills.timed {
            try client.require(
                dump,
                client.connection + [
                    "--single-transaction", "--result-file=\(file.path)", MariaDBRecipe.database,
                ])
        }
        record.backupSeconds = backupSeconds
        record.backupBytes = StoredBytes.of(file.path)

        _ = try client.sql("DROP DATABASE IF EXISTS \(restoreDatabase)")
        defer { _ = try? client.sql("DROP DATABASE IF EXISTS \(restoreDatabase)") }
        let (_, restoreSeconds) = try await RecoveryDrills.timed {
            _ = try client.sql("CREATE DATABASE \(restoreDatabase)")
            // `source` reads the file in the client, as `mariadb db < file` would, without a shell.
            try client.require(mariadb, client.connection + ["-D", restoreDatabase, "-e", "source \(file.path)"])
        }
        record.restoreSeconds = restoreSeconds
        try context.afterRestore?(.init(method: context.method, port: context.plan.port, database: restoreDatabase))
        record.checks = PostgresBackup.compare(source, try client.tables(restoreDatabase))
    }

    /// The `mariadb` client against one server, as user `stacklab` over loopback TCP.
    struct Client: Sendable {
        var mariadb: String
        var port: Int
        var password: String

        /// Host, port and user for either tool; `--protocol=tcp` so that no socket is tried.
        var connection: [String] {
            ["--protocol=tcp", "-h", "127.0.0.1", "-P", String(port), "-u", MariaDBRecipe.user]
        }

        private var environment: [String: String] {
            ProcessInfo.processInfo.environment.merging(["MYSQL_PWD": password]) { _, new in new }
        }

        /// Runs `tool`; throws with its last lines when it fails.
        func require(_ tool: String, _ arguments: [String]) throws {
            let outcome = try HelperCommand.capture(tool, arguments, environment: environment)
            guard outcome.status == 0 else {
                throw UserError(
                    "\(URL(fileURLWithPath: tool).lastPathComponent) failed (status \(outcome.status)): "
                        + outcome.output.split(separator: "\n").suffix(3).joined(separator: " / "))
            }
        }

        /// The tab-separated answer of `sql`, without column names, trimmed.
        func sql(_ sql: String) throws -> String {
            let outcome = try HelperCommand.capture(
                mariadb, connection + ["--batch", "--skip-column-names", "-e", sql], environment: environment)
            guard outcome.status == 0 else {
                throw UserError(
                    "mariadb on port \(port) failed: "
                        + outcome.output.split(separator: "\n").suffix(2).joined(separator: " / "))
            }
            return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Every base table of `database` with its row count and `CHECKSUM TABLE`, in name order.
        func tables(_ database: String) throws -> [PostgresBackup.TableDigest] {
            let names = try sql(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = '\(database)' AND table_type = 'BASE TABLE' ORDER BY 1
                """
            ).split(separator: "\n").map(String.init)
            return try names.map { name in
                let table = "`\(database)`.`\(name)`"
                let count = try sql("SELECT COUNT(*) FROM \(table)")
                // `stacklab.items	1234567`: the checksum is the last field (NULL for a table it cannot read).
                let checksum = try sql("CHECKSUM TABLE \(table)").split(separator: "\t").last.map(String.init)
                guard let rows = Int(count), let checksum else {
                    throw UserError("unexpected answer counting \(table): \(count)")
                }
                return .init(name: name, rows: rows, checksum: checksum)
            }
        }
    }
}
