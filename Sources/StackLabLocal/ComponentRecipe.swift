import Foundation
import StackLabCore

/// How one component of a stack runs as a local process: the command, the readiness probe, its port.
public struct LocalComponentPlan: Sendable {
    public var component: Component
    public var command: LaunchCommand
    public var readiness: ReadinessProbe
    /// The loopback port it serves on.
    public var port: Int
    public var version: String
    /// The configuration files StackLab wrote for it, as written (none for the reference app).
    public var configFiles: [RenderedConfig]
    /// Where a database keeps its data: measured as stored bytes after each trial, and the device whose
    /// operations are counted as its IOPS. Nil for components that store nothing.
    public var dataDirectory: URL?
    /// Directories outside the run directory it keeps its data in, removed when it has stopped.
    public var scratchDirectories: [URL] = []

    public init(
        component: Component, command: LaunchCommand, readiness: ReadinessProbe, port: Int, version: String,
        configFiles: [RenderedConfig] = [], dataDirectory: URL? = nil
    ) {
        self.component = component
        self.command = command
        self.readiness = readiness
        self.port = port
        self.version = version
        self.configFiles = configFiles
        self.dataDirectory = dataDirectory
    }

    /// Whether it serves TLS on `port`, so clients must speak https to it.
    public var servesTLS: Bool { component.tls }
}

/// The local recipes: for each kind of component, how to start it on a loopback port in front of the next.
///
/// The Swift reference app and the gateways (nginx, HAProxy, Traefik, Envoy, Caddy) run locally; databases
/// and brokers get their recipes with the issues that bring them (they are recognised by the spec so that
/// files can name them).
public enum ComponentRecipe {
    /// Plans `component` on `port`, forwarding to `upstreamPort` when it is not the last of the stack.
    ///
    /// A gateway's configuration (and its certificate, with `tls: true`) is written into
    /// `runDirectory/<component name>/` here, before anything starts.
    ///
    /// - Parameters:
    ///   - binDirectory: where StackLab's own executables (`stacklab-refapp`) are.
    ///   - runDirectory: where the component keeps its files (the SQLite database, rendered configs).
    ///   - ports: hands out the extra loopback port a gateway answers readiness on; a fresh allocator when nil.
    ///   - locator: finds installed programs; by default in StackLab's venv, on PATH and in `binDirectory`.
    /// - Throws: `UserError` naming the component when it cannot run on this machine, and what to do
    ///   (`stacklab install haproxy` for a gateway that is not installed).
    public static func plan(
        _ component: Component, port: Int, upstreamPort: Int?, binDirectory: URL, runDirectory: URL, cpus: CPUSet?,
        ports: PortAllocator? = nil, locator: ComponentLocator? = nil
    ) throws -> LocalComponentPlan {
        switch component.kind {
        case .app:
            return try appPlan(
                component, port: port, binDirectory: binDirectory, runDirectory: runDirectory, cpus: cpus)
        case .nginx, .haproxy, .traefik, .envoy, .caddy:
            return try gatewayPlan(
                component, port: port, upstreamPort: upstreamPort, runDirectory: runDirectory, cpus: cpus,
                ports: ports ?? PortAllocator(), locator: locator ?? ComponentLocator(binDirectory: binDirectory))
        case .redis: return try RedisRecipe.plan(component, port: port, runDirectory: runDirectory, cpus: cpus)
        case .postgres: return try PostgresRecipe.plan(component, port: port, runDirectory: runDirectory, cpus: cpus)
        case .mariadb: return try MariaDBRecipe.plan(component, port: port, runDirectory: runDirectory, cpus: cpus)
        default:
            throw UserError(
                "component '\(component.name)': kind \(component.kind.rawValue) has no local recipe yet; "
                    + "the reference apps, the gateways (nginx, haproxy, traefik, envoy, caddy), redis, postgres "
                    + "and mariadb run locally")

        }
    }

    private static func appPlan(
        _ component: Component, port: Int, binDirectory: URL, runDirectory: URL, cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        guard !component.tls else {
            throw UserError(
                "component '\(component.name)': the reference app does not serve TLS; put a gateway with tls: true "
                    + "in front of it")
        }
        guard let runtime = component.runtime else {
            throw UserError("component '\(component.name)': an app needs a runtime (swift, go, rust, node, bun)")
        }
        guard runtime == .swift else {
            return try AppRecipe.plan(component, runtime: runtime, port: port, runDirectory: runDirectory, cpus: cpus)
        }
        let executable = binDirectory.appendingPathComponent("stacklab-refapp")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw UserError(
                "component '\(component.name)': \(executable.path) not found; build it with "
                    + "'swift build -c release' (it is a product of this package)")
        }
        var arguments = ["--host", "127.0.0.1", "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        if let url = component.settings["database_url"] {
            environment["DATABASE_URL"] = url
        } else {
            // The run's own SQLite file unless the spec names one (to keep a database between runs).
            let path =
                component.settings["db_path"] ?? runDirectory.appendingPathComponent("\(component.name).sqlite").path
            arguments += ["--db-path", path]
        }
        // Threads match the CPU the component is given, so its allocation and its use agree.
        if let cpu = component.resources?.limits.cpu ?? component.resources?.requests.cpu {
            arguments += ["--threads", String(max(1, Int(cpu.rounded(.up))))]
        } else if let cpus {
            arguments += ["--threads", String(cpus.count)]
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable.path, arguments: arguments, environment: environment,
                workingDirectory: runDirectory.path, cpus: cpus),
            readiness: .http(port: port, path: "/health"), port: port, version: StackLabVersion.current)
    }
}
