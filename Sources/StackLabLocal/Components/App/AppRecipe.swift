import Foundation
import StackLabCore

/// How the reference apps under `apps/<runtime>/` (Go, Rust, Node.js, Bun, .NET) run as local processes.
///
/// Each app is built beforehand by `apps/<runtime>/build.sh` into its build directory, outside the checkout
/// (``buildDirectory(of:for:environment:)``, `~/.stacklab/apps/<runtime>` by default, so that an installed or
/// read-only checkout works), and takes the same flags as the Swift app (docs/app-api.md). The `apps` folder
/// is the component's `apps_dir` setting, else `$STACKLAB_APPS_DIR`, else `apps` in the current directory (a
/// checkout of StackLab).
enum AppRecipe {
    static func plan(
        _ component: Component, runtime: AppRuntime, port: Int, runDirectory: URL, cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        let environment = ProcessInfo.processInfo.environment
        let build =
            runtime == .dotnet
            ? "'apps/dotnet/build.sh' (with Microsoft's .NET SDK on PATH)" : "'stacklab install \(runtime.rawValue)'"
        guard let built = output(of: runtime, buildDirectory: buildDirectory(of: runtime, for: component)) else {
            throw UserError(
                "component '\(component.name)': runtime \(runtime.rawValue) has no app under apps/; "
                    + "local recipes exist for swift, go, rust, node, bun and dotnet")
        }
        var executable = built.path
        var arguments: [String] = []
        guard FileManager.default.fileExists(atPath: executable) else {
            throw UserError("component '\(component.name)': \(executable) not found; build it with \(build)")
        }
        if runtime == .node {
            guard let node = ExecutableLookup.find("node") else {
                throw UserError("component '\(component.name)': node is not on PATH; install Node.js 18 or later")
            }
            arguments = [executable]
            executable = node
        }
        if runtime == .dotnet {
            guard let dotnet = ExecutableLookup.find("dotnet") else {
                throw UserError("component '\(component.name)': \(RuntimeToolchain.noDotnet)")
            }
            arguments = [executable]
            executable = dotnet
        }
        arguments += ["--host", "127.0.0.1", "--port", String(port)]
        // Threads (Node.js workers, Bun processes) match the CPU the component is given.
        if let cpu = component.resources?.limits.cpu ?? component.resources?.requests.cpu {
            arguments += ["--threads", String(max(1, Int(cpu.rounded(.up))))]
        } else if let cpus {
            arguments += ["--threads", String(cpus.count)]
        }
        var childEnvironment = environment
        // Without a database_url setting the app serves /plaintext, /json and /health, and 503 on the rest.
        childEnvironment["DATABASE_URL"] = component.settings["database_url"]
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable, arguments: arguments, environment: childEnvironment,
                workingDirectory: runDirectory.path, cpus: cpus),
            readiness: .http(port: port, path: "/health"), port: port, version: StackLabVersion.current)
    }

    /// The `apps` folder: the component's `apps_dir` setting, else `$STACKLAB_APPS_DIR`, else `./apps`.
    static func appsDirectory(for component: Component?) -> URL {
        URL(
            fileURLWithPath: component?.settings["apps_dir"] ?? ProcessInfo.processInfo.environment["STACKLAB_APPS_DIR"]
                ?? FileManager.default.currentDirectoryPath + "/apps")
    }

    /// Where `apps/<runtime>/build.sh` writes what it builds: the component's `build_dir` setting, else
    /// `$STACKLAB_BUILD_DIR/<runtime>`, else `$STACKLAB_HOME/apps/<runtime>` (`~/.stacklab/apps/<runtime>`).
    /// Never the checkout, which may be installed read-only or shared by several users.
    public static func buildDirectory(
        of runtime: AppRuntime, for component: Component? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let setting = component?.settings["build_dir"] { return URL(fileURLWithPath: setting) }
        if let root = environment["STACKLAB_BUILD_DIR"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent(runtime.rawValue)
        }
        return StackLabHome.directory(environment: environment).appendingPathComponent("apps/\(runtime.rawValue)")
    }

    /// What `apps/<runtime>/build.sh` builds into `buildDirectory`: the executable, or the `server.js` that
    /// `node` runs, or the `stacklab-dotnet.dll` that `dotnet` runs; nil for a runtime with no app under `apps/`.
    static func output(of runtime: AppRuntime, buildDirectory out: URL) -> URL? {
        switch runtime {
        case .go, .rust, .bun: return out.appendingPathComponent("stacklab-\(runtime.rawValue)")
        case .dotnet: return out.appendingPathComponent("stacklab-dotnet.dll")
        case .node: return out.appendingPathComponent("app/server.js")
        case .swift: return nil
        }
    }
}
