import Foundation
import StackLabCore

/// The local recipe for `kind: nats`: Debian's nats-server from a generated `nats.conf` in
/// `<run directory>/<name>/`, listening on 127.0.0.1 only, its monitoring port (`/healthz`) the readiness probe.
///
/// Settings: `jetstream` (`true` turns JetStream on, its file store in `<run directory>/<name>/jetstream`;
/// off by default), `user` and `password` (both or neither: clients must log in with them), `max_payload` (the
/// largest message the server takes, a memory amount; 1Mi by default) and `max_pending` (the bytes the server
/// holds for one slow client before it cuts it off as a slow consumer, a memory amount; 64Mi by default) and
/// `durability` (`true` takes the crash drill after the variant's last trial, `DurabilitySetting`).
enum NATSRecipe {
    static let settings = ["jetstream", "user", "password", "max_payload", "max_pending", "durability"]
    /// nats-server's own default for `max_payload`.
    static let defaultMaxPayload = 1_048_576

    static func plan(
        _ component: Component, port: Int, monitorPort: Int, runDirectory: URL, cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        let name = component.name
        guard let executable = ExecutableLookup.find("nats-server", includeSystemDirectories: true) else {
            throw UserError(
                "component '\(name)': nats-server is not installed; install it with 'stacklab install nats'")
        }
        let directory = runDirectory.appendingPathComponent(name)
        let config = RenderedConfig(
            fileName: "nats.conf",
            text: try configuration(component, port: port, monitorPort: monitorPort, directory: directory))
        let file = try config.write(into: directory, component: name)
        let settings = component.settings
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: executable, arguments: ["--config", file.path],
                workingDirectory: directory.path, cpus: cpus),
            readiness: .http(port: monitorPort, path: "/healthz"), port: port, version: version(of: executable),
            configFiles: [config], dataDirectory: directory,
            endpoints: [
                ComponentEndpoint(
                    port: port, wireProtocol: .nats, user: settings["user"], password: settings["password"])
            ])
    }

    /// The `nats.conf` for `component` on `port`, monitored on `monitorPort`, its files in `directory`.
    ///
    /// - Throws: `UserError` for an unknown setting or a value the setting does not take.
    static func configuration(_ component: Component, port: Int, monitorPort: Int, directory: URL) throws -> String {
        let name = component.name
        let settings = component.settings
        for key in settings.keys.sorted() where !Self.settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; nats takes \(Self.settings.joined(separator: ", "))")
        }
        var lines = [
            "# Written by StackLab for component '\(name)'.",
            "server_name: \(quoted(name))",
            "listen: \"127.0.0.1:\(port)\"",
            "http: \"127.0.0.1:\(monitorPort)\"",
            "pid_file: \(quoted(directory.appendingPathComponent("nats.pid").path))",
        ]
        var sizes: [String: Int] = [:]
        for key in ["max_payload", "max_pending"] {
            guard let text = settings[key] else { continue }
            guard let bytes = Resources.bytes(parsing: text), bytes >= 1024, bytes <= 1 << 30 else {
                throw UserError(
                    "component '\(name)': \(key) '\(text)' is not a memory amount between 1Ki and 1Gi, e.g. 1Mi")
            }
            sizes[key] = bytes
        }
        // The server refuses a largest message above what it holds for one client.
        if let pending = sizes["max_pending"] {
            let payload = sizes["max_payload"] ?? min(pending, defaultMaxPayload)
            guard payload <= pending else {
                throw UserError("component '\(name)': max_payload must not be more than max_pending")
            }
            sizes["max_payload"] = payload
        }
        for key in ["max_payload", "max_pending"] {
            if let bytes = sizes[key] { lines.append("\(key): \(bytes)") }
        }
        switch (settings["user"], settings["password"]) {
        case (nil, nil):
            break
        case (let user?, let password?):
            for (key, value) in [("user", user), ("password", password)]
            where value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" }) {
                throw UserError("component '\(name)': \(key) must not be empty or hold spaces, quotes or backslashes")
            }
            lines.append("authorization { user: \(quoted(user)), password: \(quoted(password)) }")
        default:
            throw UserError("component '\(name)': give both user and password, or neither")
        }
        try DurabilitySetting.check(component)
        switch settings["jetstream"] ?? "false" {
        case "false":
            break
        case "true":
            let store = directory.appendingPathComponent("jetstream").path
            lines.append("jetstream { store_dir: \(quoted(store)) }")
        case let other:
            throw UserError("component '\(name)': jetstream '\(other)' is not true or false")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2.9.10` from `nats-server --version` (`nats-server: v2.9.10`); `unknown` when it cannot be read.
    static func version(of executable: String) -> String {
        let (status, output) = PostgresRecipe.run([executable, "--version"])
        guard status == 0, let range = output.range(of: " v") else { return "unknown" }
        let version = output[range.upperBound...].prefix { !$0.isWhitespace }
        return version.isEmpty ? "unknown" : String(version)
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
