import Foundation
import StackLabCore

/// Redis's backup and restore drill: an RDB snapshot loaded by a second server.
///
/// `rdb`: `BGSAVE`, waited for until the snapshot is on disk, and `dump.rdb` copied aside (backup time
/// covers both). A second redis-server is started on a new loopback port with the copy as its only data;
/// restore time runs from its start until it answers `PING` (Redis answers `-LOADING` while it reads the
/// file). The data check compares the number of keys of every database (`INFO keyspace`) and `DEBUG DIGEST`,
/// a digest of the whole dataset, which is why the recipe's `redis.conf` allows `DEBUG` from loopback.
enum RedisBackup {
    static let methods = ["rdb"]

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        guard let cli = ExecutableLookup.find("redis-cli", includeSystemDirectories: true),
            let server = ExecutableLookup.find("redis-server", includeSystemDirectories: true)
        else {
            throw UserError("redis-cli or redis-server is not installed (apt-get install redis-server)")
        }
        guard let data = context.plan.dataDirectory else {
            throw UserError("the redis component has no data directory")
        }
        let password = context.plan.endpoint.password
        let source = Client(cli: cli, port: context.plan.port, password: password)
        let sourceCheck = try source.keyspace()

        let copy = context.directory.appendingPathComponent("dump.rdb")
        let (_, backupSeconds) = try await RecoveryDrills.timed {
            try await snapshot(source)
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: data.appendingPathComponent("dump.rdb"), to: copy)
        }
        record.backupSeconds = backupSeconds
        record.backupBytes = StoredBytes.of(copy.path)

        let restoreDirectory = context.directory.appendingPathComponent("restore")
        try? FileManager.default.removeItem(at: restoreDirectory)
        try FileManager.default.createDirectory(at: restoreDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: restoreDirectory) }
        let port = try context.ports.next()
        let configuration = restoreDirectory.appendingPathComponent("redis.conf")
        try restoreConfiguration(port: port, directory: restoreDirectory, password: password)
            .write(to: configuration, atomically: true, encoding: .utf8)
        let restored = Client(cli: cli, port: port, password: password)
        let supervisor = context.supervisor
        let (child, restoreSeconds) = try await RecoveryDrills.timed { () async throws -> ChildProcess in
            try FileManager.default.copyItem(at: copy, to: restoreDirectory.appendingPathComponent("dump.rdb"))
            return try await RecoveryDrills.startCopy(
                LaunchCommand(
                    name: "\(context.component.name)-restore", executable: server, arguments: [configuration.path],
                    workingDirectory: restoreDirectory.path),
                supervisor: supervisor, what: "the restored redis-server on port \(port)", log: \.standardOutputLog
            ) { (try? restored.command("PING")) == "PONG" }
        }
        record.restoreSeconds = restoreSeconds
        do {
            try context.afterRestore?(.init(method: context.method, port: port, database: nil))
            let restoredCheck = try restored.keyspace()
            record.checks = [
                .init(
                    name: "keyspace", sourceRows: sourceCheck.keys, restoredRows: restoredCheck.keys,
                    sourceChecksum: sourceCheck.digest, restoredChecksum: restoredCheck.digest)
            ]
        } catch {
            await supervisor.stop(child)
            throw error
        }
        await supervisor.stop(child)
    }

    /// Starts a background save and waits until it has finished well.
    ///
    /// A save already running (a `save` point) would not hold what came after it began, and Redis refuses a
    /// save while it rewrites its append-only file: either way the drill waits until the server is idle
    /// and asks again.
    private static func snapshot(_ client: Client) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(600)
        while true {
            let reply = try client.reply("BGSAVE")
            if reply.hasPrefix("Background saving started") { break }
            guard reply.contains("in progress"), clock.now < deadline else {
                throw UserError("BGSAVE was refused: \(reply)")
            }
            _ = try await RecoveryDrills.waitUntil(timeout: .seconds(600)) { try !client.busy() }
        }
        guard try await RecoveryDrills.waitUntil(timeout: .seconds(600), { try !client.busy() }) else {
            throw UserError("BGSAVE did not finish within 10 minutes")
        }
        let status = try client.info("persistence")["rdb_last_bgsave_status"]
        guard status == "ok" else { throw UserError("BGSAVE failed (rdb_last_bgsave_status: \(status ?? "?"))") }
    }

    /// A server that only loads and serves the copy: it saves nothing and keeps no append-only file.
    static func restoreConfiguration(port: Int, directory: URL, password: String?) -> String {
        var lines = [
            "# Written by StackLab: a restored copy, checked then stopped.",
            "bind 127.0.0.1", "port \(port)", "protected-mode yes", "daemonize no", "logfile \"\"",
            "dir \"\(directory.path)\"", "dbfilename dump.rdb", "save \"\"", "appendonly no",
            "enable-debug-command local",
        ]
        if let password { lines.append("requirepass \(password)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `redis-cli` against one server.
    struct Client: Sendable {
        var cli: String
        var port: Int
        var password: String?

        /// The reply of one command, trimmed; throws when redis-cli fails (no server, an error reply).
        func command(_ words: String...) throws -> String {
            let outcome = try run(words)
            guard outcome.status == 0, !outcome.output.hasPrefix("ERR ") else {
                throw UserError(
                    "redis-cli on port \(port): \(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The `key:value` lines of one `INFO` section.
        func info(_ section: String) throws -> [String: String] {
            var fields: [String: String] = [:]
            for line in try command("INFO", section).split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
            return fields
        }

        /// What redis-cli printed for one command, an error reply included.
        func reply(_ words: String...) throws -> String {
            try run(words).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        private func run(_ words: [String]) throws -> HelperCommand.Outcome {
            var arguments = ["-h", "127.0.0.1", "-p", String(port)]
            if let password { arguments += ["-a", password, "--no-auth-warning"] }
            return try HelperCommand.capture(cli, arguments + words)
        }

        /// Whether a snapshot or an append-only file rewrite is running.
        func busy() throws -> Bool {
            let persistence = try info("persistence")
            return persistence["rdb_bgsave_in_progress"] == "1" || persistence["aof_rewrite_in_progress"] == "1"
        }

        /// Keys over every database, and `DEBUG DIGEST`.
        func keyspace() throws -> (keys: Int, digest: String) {
            let keys = try info("keyspace").filter { $0.key.hasPrefix("db") }.values.reduce(0) { total, value in
                // db0:keys=1000,expires=0,avg_ttl=0
                let count = value.split(separator: ",").first { $0.hasPrefix("keys=") }.flatMap {
                    Int($0.dropFirst("keys=".count))
                }
                return total + (count ?? 0)
            }
            let digest = try command("DEBUG", "DIGEST")
            guard digest.count == 40, digest.allSatisfy(\.isHexDigit) else {
                throw UserError("DEBUG DIGEST on port \(port) answered '\(digest)'")
            }
            return (keys, digest)
        }
    }
}
