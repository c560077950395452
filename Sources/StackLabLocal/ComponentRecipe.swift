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
}

/// The local recipes: for each kind of component, how to start it on a loopback port in front of the next.
///
/// Only the Swift reference app runs locally today; gateways, databases and brokers get their recipes
/// with the issues that bring them (they are recognised by the spec so that files can name them).
public enum ComponentRecipe {
    /// Plans `component` on `port`, forwarding to `upstreamPort` when it is not the last of the stack.
    ///
    /// - Parameters:
    ///   - binDirectory: where StackLab's own executables (`stacklab-refapp`) are.
    ///   - runDirectory: where the component keeps its files (the SQLite database, rendered configs).
    /// - Throws: `UserError` naming the component when it cannot run on this machine, and what to do.
    public static func plan(
        _ component: Component, port: Int, upstreamPort: Int?, binDirectory: URL, runDirectory: URL, cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        switch component.kind {
        case .app:
            return try appPlan(
                component, port: port, binDirectory: binDirectory, runDirectory: runDirectory, cpus: cpus)
        case .redis: return try RedisRecipe.plan(component, port: port, runDirectory: runDirectory, cpus: cpus)
        case .postgres: return try PostgresRecipe.plan(component, port: port, runDirectory: runDirectory, cpus: cpus)
        default:
            throw UserError(
                "component '\(component.name)': kind \(component.kind.rawValue) has no local recipe yet; "
                    + "this StackLab runs the Swift reference app (kind: app, runtime: swift) locally")
        }
    }

    private static func appPlan(
        _ component: Component, port: Int, binDirectory: URL, runDirectory: URL, cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        guard component.runtime == .swift else {
            let runtime = component.runtime?.rawValue ?? "none"
            throw UserError(
                "component '\(component.name)': runtime \(runtime) has no local recipe yet; use runtime: swift")
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
