import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// The local recipe for `kind: mariadb`: Debian's MariaDB, a fresh data directory made with
/// `mariadb-install-db` in the run directory, and `mariadbd` started on a loopback port.
///
/// Everything lives in `<run directory>/<name>/`: `my.cnf`, `data/`, the socket, the pid file and the
/// init file that creates database `stacklab` and user `stacklab` (from 127.0.0.1 only) with the
/// `password` setting, or a password made for the run, which the plan's component then carries so that
/// workloads can log in. The server listens on 127.0.0.1 only, resolves no host names, and runs as the
/// invoking user (`--user=root` when that is root, which mariadbd otherwise refuses). With a memory
/// allocation, `innodb_buffer_pool_size` is 50% of it: the rest is left for per-connection buffers, the
/// log buffer and the server itself, a common sizing for a small server that shares its memory.
///
/// Settings: `password`, `innodb_buffer_pool_size` (a memory amount, overriding the 50%),
/// `innodb_flush_log_at_trx_commit` (`0`, `1` or `2`; `1`, durable, by default), `max_connections`, `backup`
/// (`mariadb-dump` or `true`: a backup and restore drill after the variant's last trial; see `MariaDBBackup`).
enum MariaDBRecipe {
    static let settings = [
        "password", "innodb_buffer_pool_size", "innodb_flush_log_at_trx_commit", "max_connections", "backup",
    ]
    /// The share of the memory allocation given to the InnoDB buffer pool.
    static let bufferPoolShare = 0.5
    static let user = "stacklab"
    static let database = "stacklab"

    static func plan(_ component: Component, port: Int, runDirectory: URL, cpus: CPUSet?) throws -> LocalComponentPlan {
        let name = component.name
        guard let server = ExecutableLookup.find("mariadbd", includeSystemDirectories: true),
            let installDB = ExecutableLookup.find("mariadb-install-db", includeSystemDirectories: true)
        else {
            throw UserError(
                "component '\(name)': MariaDB is not installed (no mariadbd or mariadb-install-db); install it with "
                    + "'stacklab install mariadb'")
        }
        var component = component
        if component.settings["password"] == nil { component.settings["password"] = DatabasePassword.generated() }
        let directory = runDirectory.appendingPathComponent(name)
        let text = try configuration(component, port: port, directory: directory)
        let file = directory.appendingPathComponent("my.cnf")
        do {
            // The init file holds the password: it and its directory are this user's alone.
            try SecretFile.makeDirectory(directory)
            try text.write(to: file, atomically: true, encoding: .utf8)
            try SecretFile.write(
                initSQL(password: component.settings["password"]!), to: directory.appendingPathComponent("init.sql"))
        } catch {
            throw UserError("component '\(name)': cannot write its files in \(directory.path): \(error)")
        }
        let data = directory.appendingPathComponent("data")
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("mysql").path) {
            let (status, output) = PostgresRecipe.run([
                installDB, "--defaults-file=\(file.path)", "--skip-test-db", "--auth-root-authentication-method=socket",
            ])
            try Task.checkCancellation()
            guard status == 0 else {
                throw UserError(
                    "component '\(name)': mariadb-install-db failed (status \(status)): "
                        + output.split(separator: "\n").suffix(3).joined(separator: " / "))
            }
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: server, arguments: ["--defaults-file=\(file.path)"],
                workingDirectory: directory.path, cpus: cpus),
            readiness: .mysql(port: port), port: port, version: version(server),
            configFiles: [RenderedConfig(fileName: "my.cnf", text: text)], dataDirectory: data,
            endpoints: [
                ComponentEndpoint(
                    port: port, wireProtocol: .mysql, user: user, password: component.settings["password"],
                    database: database)
            ])
    }

    /// The `my.cnf` for `component` on `port`, with its files in `directory`.
    ///
    /// - Throws: `UserError` for an unknown setting or a value the setting does not take.
    static func configuration(_ component: Component, port: Int, directory: URL) throws -> String {
        let name = component.name
        let settings = component.settings
        for key in settings.keys.sorted() where !Self.settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; mariadb takes \(Self.settings.joined(separator: ", "))"
            )
        }
        if let password = settings["password"] { try DatabasePassword.check(password, component: name) }
        // A Unix socket path longer than sun_path (108 bytes) cannot be bound; such a run directory gets one in /tmp.
        var socket = directory.appendingPathComponent("mariadb.sock").path
        if socket.utf8.count > 100 { socket = "/tmp/stacklab-mariadb-\(port).sock" }
        var lines = [
            "# Written by StackLab for component '\(name)'.",
            "[mariadbd]",
            "datadir = \(directory.appendingPathComponent("data").path)",
            "socket = \(socket)",
            "pid-file = \(directory.appendingPathComponent("mariadbd.pid").path)",
            "init-file = \(directory.appendingPathComponent("init.sql").path)",
            "port = \(port)",
            "bind-address = 127.0.0.1",
            "skip-name-resolve",
            "skip-log-bin",
        ]
        if getuid() == 0 { lines.append("user = root") }
        if let text = settings["innodb_buffer_pool_size"] {
            guard let bytes = Resources.bytes(parsing: text), bytes >= 8 * 1_048_576 else {
                throw UserError(
                    "component '\(name)': innodb_buffer_pool_size '\(text)' is not a memory amount of at least 8Mi, "
                        + "e.g. 256Mi")
            }
            lines.append("innodb_buffer_pool_size = \(bytes)")
        } else if let allocation = component.resources?.limits.memory ?? component.resources?.requests.memory {
            let bytes = max(8 * 1_048_576, Int(Double(allocation) * bufferPoolShare))
            lines.append("innodb_buffer_pool_size = \(bytes)")
        }
        if let value = settings["innodb_flush_log_at_trx_commit"] {
            guard ["0", "1", "2"].contains(value) else {
                throw UserError("component '\(name)': innodb_flush_log_at_trx_commit '\(value)' is not one of 0, 1, 2")
            }
            lines.append("innodb_flush_log_at_trx_commit = \(value)")
        }
        if let text = settings["max_connections"] {
            guard let count = Int(text), count >= 1 else {
                throw UserError("component '\(name)': max_connections '\(text)' is not a whole number of at least 1")
            }
            lines.append("max_connections = \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Run by the server at each start, before it accepts connections: the database and the user, idempotently.
    static func initSQL(password: String) -> String {
        """
        CREATE DATABASE IF NOT EXISTS \(database);
        CREATE USER IF NOT EXISTS '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)';
        ALTER USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)';
        GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'127.0.0.1';

        """
    }

    /// `10.11.6` from `mariadbd --version`; `unknown` when it cannot be read.
    static func version(_ server: String) -> String {
        let (status, output) = PostgresRecipe.run([server, "--version"])
        guard status == 0, let range = output.range(of: "Ver ") else { return "unknown" }
        return String(output[range.upperBound...].prefix { !$0.isWhitespace && $0 != "-" })
    }
}
