import Foundation
import StackLabCore

/// The local recipe for `kind: redis`: Debian's redis-server, started empty from a generated `redis.conf`
/// in the run directory.
///
/// The server listens on 127.0.0.1 only and keeps its files in `<run directory>/<name>/`. It persists
/// nothing unless the `persistence` setting asks, so a benchmark measures the store and not the disk.
/// With a memory limit (or request), `maxmemory` is 80% of it: the rest is left for what Redis does not
/// count against `maxmemory` (client buffers, allocator fragmentation), as Redis's documentation advises.
///
/// Settings: `persistence` (`none`, `rdb` or `aof`; `none` by default), `password` (`requirepass`),
/// `maxmemory` (a memory amount, overriding the 80%), `maxmemory_policy` (`noeviction` by default, so a
/// full store answers writes with an error rather than dropping keys silently), `backup` (`rdb` or `true`: a
/// backup and restore drill after the variant's last trial; see `RedisBackup`).
enum RedisRecipe {
    static let settings = ["persistence", "password", "maxmemory", "maxmemory_policy", "backup"]
    static let policies = [
        "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
        "volatile-random", "volatile-ttl",
    ]
    /// The share of the memory allocation given to `maxmemory`.
    static let maxmemoryShare = 0.8

    static func plan(_ component: Component, port: Int, runDirectory: URL, cpus: CPUSet?) throws -> LocalComponentPlan {
        let name = component.name
        guard let executable = ExecutableLookup.find("redis-server", includeSystemDirectories: true) else {
            throw UserError(
                "component '\(name)': redis-server is not installed; install it with 'apt-get install redis-server'")
        }
        let text = try configuration(component, port: port, directory: runDirectory.appendingPathComponent(name))
        let directory = runDirectory.appendingPathComponent(name)
        let file = try RenderedConfig(fileName: "redis.conf", text: text).write(into: directory, component: name)
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: executable, arguments: [file.path], workingDirectory: directory.path,
                cpus: cpus),
            readiness: .tcp(port: port), port: port, version: version(of: executable), dataDirectory: directory,
            endpoints: [ComponentEndpoint(port: port, wireProtocol: .redis, password: component.settings["password"])])
    }

    /// The `redis.conf` for `component` on `port`, with its files in `directory`.
    ///
    /// - Throws: `UserError` for an unknown setting or a value the setting does not take.
    static func configuration(_ component: Component, port: Int, directory: URL) throws -> String {
        let name = component.name
        let settings = component.settings
        for key in settings.keys.sorted() where !Self.settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; redis takes \(Self.settings.joined(separator: ", "))")
        }
        var lines = [
            "# Written by StackLab for component '\(name)'.",
            "bind 127.0.0.1",
            "port \(port)",
            "protected-mode yes",
            "daemonize no",
            "logfile \"\"",
            "dir \(quoted(directory.path))",
            "dbfilename dump.rdb",
            "appendfilename appendonly.aof",
            // DEBUG DIGEST from loopback only: the backup drill compares a restored copy with it.
            "enable-debug-command local",
        ]
        switch settings["persistence"] ?? "none" {
        case "none":
            lines += ["save \"\"", "appendonly no"]
        case "rdb":
            // Redis 7's own default snapshot points.
            lines += ["save 3600 1 300 100 60 10000", "appendonly no"]
        case "aof":
            lines += ["save \"\"", "appendonly yes", "appendfsync everysec"]
        case let other:
            throw UserError("component '\(name)': persistence '\(other)' is not one of none, rdb, aof")
        }
        _ = try BackupSetting.methods(of: component)
        if let memory = try maxmemory(component) { lines.append("maxmemory \(memory)") }
        let policy = settings["maxmemory_policy"] ?? "noeviction"
        guard policies.contains(policy) else {
            throw UserError(
                "component '\(name)': maxmemory_policy '\(policy)' is not one of \(policies.joined(separator: ", "))")
        }
        lines.append("maxmemory-policy \(policy)")
        if let password = settings["password"] {
            guard !password.isEmpty, !password.contains(where: { $0.isWhitespace || $0 == "\"" }) else {
                throw UserError("component '\(name)': password must not be empty or hold spaces or quotes")
            }
            lines.append("requirepass \(password)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `maxmemory` in bytes: the setting, or 80% of the memory limit (the request when no limit is set).
    static func maxmemory(_ component: Component) throws -> Int? {
        if let text = component.settings["maxmemory"] {
            guard let bytes = Resources.bytes(parsing: text), bytes >= 1_048_576 else {
                throw UserError(
                    "component '\(component.name)': maxmemory '\(text)' is not a memory amount of at least 1Mi, "
                        + "e.g. 256Mi")
            }
            return bytes
        }
        guard let memory = component.resources?.limits.memory ?? component.resources?.requests.memory else {
            return nil
        }
        return Int(Double(memory) * maxmemoryShare)
    }

    /// `7.0.15` from `redis-server --version`; `unknown` when it cannot be read.
    static func version(of executable: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown" }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let range = output.range(of: "v=") else { return "unknown" }
        return String(output[range.upperBound...].prefix { !$0.isWhitespace })
    }

    private static func quoted(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
