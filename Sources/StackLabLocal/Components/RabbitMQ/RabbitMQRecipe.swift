import Foundation
import StackLabCore

/// The local recipe for `kind: rabbitmq`: Debian's rabbitmq-server 3.10 as a node of its own, sharing nothing
/// with a system RabbitMQ.
///
/// Everything lives in `<run directory>/<name>/`, which is the node's `HOME`: its Erlang cookie (made for the
/// run), `rabbitmq.conf`, `advanced.config` (the user and password, 0600), an empty plugin list, an empty
/// `rabbitmq-env.conf` in place of `/etc/rabbitmq`'s, and `mnesia/` and `log/`. The node is named
/// `stacklab-<AMQP port>@localhost`; its AMQP listener, Erlang distribution port and epmd port are free loopback
/// ports. Its own epmd is started in the foreground beside it (`-address 127.0.0.1`) rather than daemonized by
/// Erlang, so the whole node stays under the started process: the sampler counts all of it, and stopping it
/// leaves no beam.smp, epmd, erl_child_setup or inet_gethost behind. The
/// Debian wrapper in /usr/sbin (which runs as the rabbitmq user from /var/lib/rabbitmq) is bypassed for the
/// script it calls. Ready means the AMQP port answers the protocol header with `Connection.Start`.
///
/// Settings: `user` (`stacklab` by default), `password` (made for the run by default), `queue_type`
/// (`classic` or `quorum`, `classic` by default: the queues the messaging workload and the durability drill
/// declare) and `durability` (`true` takes the crash drill after the variant's last trial,
/// `RabbitMQDurabilityDrill`). With a memory allocation the memory alarm (`vm_memory_high_watermark`) is 40% of it,
/// RabbitMQ's own share of the host's.
enum RabbitMQRecipe {
    static let settings = ["user", "password", "queue_type", "durability"]
    static let queueTypes = ["classic", "quorum"]
    static let defaultUser = "stacklab"
    /// RabbitMQ's default memory alarm, as a share of the memory it may use.
    static let memoryAlarmShare = 0.4

    /// What the node is given to run on: its ports, name and directory.
    struct Node: Equatable {
        var name: String
        var amqpPort: Int
        var distributionPort: Int
        var epmdPort: Int
        var directory: URL
    }

    static func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        let name = component.name
        guard let script = serverScript() else {
            throw UserError(
                "component '\(name)': rabbitmq-server is not installed; install it with 'stacklab install rabbitmq'")
        }
        guard let epmd = ExecutableLookup.find("epmd", includeSystemDirectories: true) else {
            throw UserError(
                "component '\(name)': Erlang's epmd is not installed; install it with 'stacklab install rabbitmq'")
        }
        var component = component
        try check(component)
        if component.settings["password"] == nil { component.settings["password"] = DatabasePassword.generated() }
        let user = component.settings["user"] ?? defaultUser
        let password = component.settings["password"]!
        let node = Node(
            name: "stacklab-\(context.port)@localhost", amqpPort: context.port,
            distributionPort: try context.ports.next(), epmdPort: try context.ports.next(),
            directory: context.runDirectory.appendingPathComponent(name))
        let text = configuration(component, node: node)
        do {
            // The cookie and the password are this user's alone, and so is the directory that holds them.
            try SecretFile.makeDirectory(node.directory)
            try text.write(
                to: node.directory.appendingPathComponent("rabbitmq.conf"), atomically: true, encoding: .utf8)
            try SecretFile.write(
                advancedConfiguration(user: user, password: password),
                to: node.directory.appendingPathComponent("advanced.config"))
            try SecretFile.write(cookie(), to: node.directory.appendingPathComponent(".erlang.cookie"))
            try "[].\n".write(
                to: node.directory.appendingPathComponent("enabled_plugins"), atomically: true, encoding: .utf8)
            try "# Written by StackLab: the node's environment is set by StackLab, not here.\n".write(
                to: node.directory.appendingPathComponent("rabbitmq-env.conf"), atomically: true, encoding: .utf8)
        } catch {
            throw UserError("component '\(name)': cannot write its files in \(node.directory.path): \(error)")
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: "/bin/sh", arguments: startArguments(script: script, epmd: epmd),
                environment: environment(node), workingDirectory: node.directory.path, cpus: context.cpus),
            readiness: readiness(port: node.amqpPort), port: node.amqpPort, version: version(script: script),
            configFiles: [RenderedConfig(fileName: "rabbitmq.conf", text: text)],
            dataDirectory: node.directory.appendingPathComponent("mnesia"),
            endpoints: [
                ComponentEndpoint(
                    port: node.amqpPort, wireProtocol: .amqp, user: user, password: password,
                    query: "queue_type=\(component.settings["queue_type"] ?? "classic")")
            ])
    }

    /// Refuses settings RabbitMQ does not take here and values they do not take.
    static func check(_ component: Component) throws {
        let name = component.name
        for key in component.settings.keys.sorted() where !settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; rabbitmq takes \(settings.joined(separator: ", "))")
        }
        if let type = component.settings["queue_type"], !queueTypes.contains(type) {
            throw UserError(
                "component '\(name)': queue_type '\(type)' is not one of \(queueTypes.joined(separator: ", "))")
        }
        try DurabilitySetting.check(component)
        if let password = component.settings["password"] { try DatabasePassword.check(password, component: name) }
        if let user = component.settings["user"] {
            guard !user.isEmpty, user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            else {
                throw UserError("component '\(name)': user must be letters, digits, '-', '_' or '.' (and not empty)")
            }
        }
    }

    /// The AMQP port answers a client's protocol header with a `Connection.Start` method frame on channel 0.
    static func readiness(port: Int) -> ReadinessProbe {
        .handshake(
            port: port, protocolName: "AMQP", send: Array("AMQP".utf8) + [0, 0, 9, 1],
            expect: [1, 0, 0, nil, nil, nil, nil, 0, 10, 0, 10])
    }

    /// `rabbitmq.conf`: the AMQP listener on loopback, logs to standard output, and the memory alarm.
    static func configuration(_ component: Component, node: Node) -> String {
        var lines = [
            "# Written by StackLab for component '\(component.name)' (node \(node.name)).",
            "listeners.tcp.1 = 127.0.0.1:\(node.amqpPort)",
            "log.console = true",
            "log.console.level = info",
            "log.file = false",
        ]
        if let memory = component.resources?.limits.memory ?? component.resources?.requests.memory {
            lines.append("vm_memory_high_watermark.absolute = \(Int(Double(memory) * memoryAlarmShare))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `advanced.config`: the user created at the node's first start, kept out of `rabbitmq.conf`, which a run's
    /// results keep.
    static func advancedConfiguration(user: String, password: String) -> String {
        "[{rabbit, [{default_user, <<\"\(user)\">>}, {default_pass, <<\"\(password)\">>}]}].\n"
    }

    /// The node's environment: this process's, without any RabbitMQ or Erlang variable it carries, and the
    /// node's own.
    static func environment(_ node: Node) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("RABBITMQ_") && !$0.key.hasPrefix("ERL_")
        }
        let directory = node.directory.path
        let own = [
            "HOME": directory,
            "RABBITMQ_NODENAME": node.name,
            "RABBITMQ_USE_LONGNAME": "false",
            "RABBITMQ_DIST_PORT": String(node.distributionPort),
            "ERL_EPMD_PORT": String(node.epmdPort),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            // Distribution listeners on loopback only, like everything else: the node's, and those of the short-lived
            // Erlang nodes RabbitMQ starts beside it (ERL_FLAGS is read by every `erl` started with this environment).
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_CONF_ENV_FILE": "\(directory)/rabbitmq-env.conf",
            "RABBITMQ_CONFIG_FILE": "\(directory)/rabbitmq.conf",
            "RABBITMQ_ADVANCED_CONFIG_FILE": "\(directory)/advanced.config",
            "RABBITMQ_ENABLED_PLUGINS_FILE": "\(directory)/enabled_plugins",
            "RABBITMQ_MNESIA_BASE": "\(directory)/mnesia",
            "RABBITMQ_LOG_BASE": "\(directory)/log",
            "RABBITMQ_LOGS": "-",
            "RABBITMQ_PID_FILE": "\(directory)/rabbitmq.pid",
        ]
        environment.merge(own) { _, new in new }
        return environment
    }

    /// `sh -c`: the node's epmd in the foreground (so it stays in the node's process tree), once it answers the
    /// server script in place of the shell.
    static func startArguments(script: String, epmd: String) -> [String] {
        let shell = """
            "$1" -port "$ERL_EPMD_PORT" -address 127.0.0.1 &
            tries=0
            until "$1" -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; do
                tries=$((tries + 1)); [ "$tries" -gt 200 ] && { echo "epmd did not start" >&2; exit 1; }
                sleep 0.05
            done
            exec "$0"
            """
        return ["-c", shell, script, epmd]
    }

    /// The script Debian's wrapper runs (`/usr/lib/rabbitmq/bin/rabbitmq-server`): the wrapper in /usr/sbin
    /// switches to the rabbitmq user and to /var/lib/rabbitmq, the system node's home.
    static func serverScript() -> String? {
        guard let found = ExecutableLookup.find("rabbitmq-server", includeSystemDirectories: true) else { return nil }
        let resolved = URL(fileURLWithPath: found).resolvingSymlinksInPath()
        guard resolved.lastPathComponent == "rabbitmq-script-wrapper" else { return found }
        let script = resolved.deletingLastPathComponent().appendingPathComponent("rabbitmq-server").path
        return FileManager.default.isExecutableFile(atPath: script) ? script : nil
    }

    /// `3.10.8`, from the server's directory next to the script (`lib/rabbitmq_server-3.10.8`); `unknown` when
    /// it cannot be found.
    static func version(script: String) -> String {
        let lib = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib")
        let prefix = "rabbitmq_server-"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return entries.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? "unknown"
    }

    /// An Erlang cookie of 32 letters, the node's own.
    static func cookie() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String((0..<32).map { _ in alphabet.randomElement()! })
    }
}
