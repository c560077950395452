import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// The local recipe for `kind: mosquitto`: Debian's Mosquitto 2.0 started from a generated `mosquitto.conf` in
/// `<run directory>/<name>/`.
///
/// One listener on 127.0.0.1, anonymous clients allowed (the lab measures the broker, not its access control),
/// logs to standard output, and, with `persistence: true`, its message store in `data/` beside the
/// configuration. Run as root it stays root (`user root`), since the run directory is root's: Mosquitto would
/// otherwise switch to the mosquitto user. Ready means an MQTT CONNECT is answered by an accepting CONNACK.
///
/// Settings: `persistence` (`true` or `false`, `false` by default: QoS 1 and 2 messages and subscriptions are
/// kept across a restart only with it, as far as the store holds them: it is written at a stop and every
/// `autosave_interval`, Mosquitto's 1,800 s, which the recipe leaves as it is) and `durability` (`true` takes the
/// crash drill after the variant's last trial, `MosquittoDurabilityDrill`: a SIGKILL loses what came since the
/// last save, so the drill reports every confirmed message lost, with persistence or without).
enum MosquittoRecipe {
    static let settings = ["persistence", "durability"]
    /// The client id of the readiness probe's CONNECT.
    static let probeClientID = "stacklab-ready"

    static func plan(_ component: Component, port: Int, runDirectory: URL, cpus: CPUSet?) throws -> LocalComponentPlan {
        let name = component.name
        guard let executable = ExecutableLookup.find("mosquitto", includeSystemDirectories: true) else {
            throw UserError(
                "component '\(name)': mosquitto is not installed; install it with 'stacklab install mosquitto'")
        }
        let directory = runDirectory.appendingPathComponent(name)
        let rendered = RenderedConfig(
            fileName: "mosquitto.conf",
            text: try configuration(component, port: port, directory: directory, asRoot: geteuid() == 0))
        let file = try rendered.write(into: directory, component: name, subdirectories: ["data"])
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: executable, arguments: ["-c", file.path], workingDirectory: directory.path,
                cpus: cpus),
            readiness: readiness(port: port), port: port, version: version(of: executable),
            configFiles: [rendered],
            dataDirectory: directory.appendingPathComponent("data"),
            endpoints: [ComponentEndpoint(port: port, wireProtocol: .mqtt)])
    }

    /// The `mosquitto.conf` for `component` on `port`, its message store in `directory/data/`.
    ///
    /// - Throws: `UserError` for an unknown setting or a value the setting does not take.
    static func configuration(_ component: Component, port: Int, directory: URL, asRoot: Bool) throws -> String {
        let name = component.name
        for key in component.settings.keys.sorted() where !settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; mosquitto takes \(settings.joined(separator: ", "))")
        }
        let persistence = component.settings["persistence"] ?? "false"
        guard ["true", "false"].contains(persistence) else {
            throw UserError("component '\(name)': persistence '\(persistence)' is not true or false")
        }
        try DurabilitySetting.check(component)
        var lines = [
            "# Written by StackLab for component '\(name)'.",
            "listener \(port) 127.0.0.1",
            "allow_anonymous true",
            "persistence \(persistence)",
            "persistence_location \(directory.appendingPathComponent("data").path)/",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
        ]
        if asRoot { lines.append("user root") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An MQTT 3.1.1 CONNECT (clean session, keep-alive 10 s) answered by CONNACK with return code 0.
    static func readiness(port: Int) -> ReadinessProbe {
        let id = Array(probeClientID.utf8)
        let variableHeader: [UInt8] = [0, 4] + Array("MQTT".utf8) + [4, 0x02, 0, 10]
        let body = variableHeader + [0, UInt8(id.count)] + id
        return .handshake(
            port: port, protocolName: "MQTT", send: [0x10, UInt8(body.count)] + body, expect: [0x20, 0x02, nil, 0x00])
    }

    /// `2.0.11` from `mosquitto -h`; `unknown` when it cannot be read.
    static func version(of executable: String) -> String {
        guard let outcome = try? HelperCommand.capture(executable, ["-h"]),
            let range = outcome.output.range(of: "mosquitto version ")
        else { return "unknown" }
        return String(outcome.output[range.upperBound...].prefix { !$0.isWhitespace })
    }
}
