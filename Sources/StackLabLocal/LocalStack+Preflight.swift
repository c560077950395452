import Foundation
import StackLabCore

extension LocalStack {
    /// Checks, before anything starts or any load is sent, that every variant of `spec` can run here: each
    /// component has a local recipe and is installed.
    ///
    /// - Throws: `UserError` listing every problem, with the exact command that installs what is missing
    ///   (`stacklab install haproxy envoy`).
    public static func preflight(_ spec: ExperimentSpec, binDirectory: URL, locator: ComponentLocator? = nil) throws {
        let locator = locator ?? ComponentLocator(binDirectory: binDirectory)
        var problems: [String] = []
        var missing: [String] = []
        var checked: Set<String> = []
        for variant in spec.variants {
            // Where TLS may be and what a gateway needs behind it are checked when the spec is read
            // (`SpecReader.checkStacks`), so that `validate` refuses what a run would.
            for component in spec.stack(of: variant) {
                guard checked.insert(component.name).inserted else { continue }
                let source = ComponentSource.of(component)
                if component.kind == .app {
                    if let runtime = component.runtime, missingRuntime(runtime) != nil {
                        // Its variants are skipped and reported as not installed; the others run.
                        continue
                    } else if let runtime = component.runtime, runtime != .swift {
                        // The other runtimes' apps are built under apps/; planning finds the build or says how to make it.
                        do {
                            _ = try AppRecipe.plan(
                                component, runtime: runtime, port: 0, runDirectory: binDirectory, cpus: nil)
                        } catch let error as UserError {
                            problems.append(error.message)
                        }
                    } else if locator.executable(for: source) == nil {
                        problems.append(
                            "component '\(component.name)': \(source.program) not found in \(binDirectory.path); build "
                                + "it with 'swift build -c release' (it is a product of this package)")
                    }
                    continue
                }
                let isDatabase = [.redis, .postgres, .mariadb].contains(component.kind)
                guard isDatabase || ComponentRecipe.renderer(for: component.kind) != nil else {
                    problems.append(
                        "component '\(component.name)': kind \(component.kind.rawValue) has no local recipe yet; "
                            + "the reference apps, the gateways (nginx, haproxy, traefik, envoy, caddy), redis, "
                            + "postgres and mariadb run locally")
                    continue
                }
                // A backup method the kind does not offer would fail only after the variant's last trial.
                do {
                    _ = try BackupSetting.methods(of: component)
                } catch let error as UserError {
                    problems.append(error.message)
                }
                if locator.executable(for: source) == nil {
                    problems.append(ComponentRecipe.notInstalled(component, source).message)
                    if !missing.contains(source.name) { missing.append(source.name) }
                }
            }
        }
        guard !problems.isEmpty else { return }
        var message = problems.joined(separator: "\n")
        if missing.count > 1 {
            message += "\ninstall them all with: stacklab install \(missing.joined(separator: " "))"
        }
        throw UserError(message)
    }

    /// Why an app of `runtime` cannot run here when StackLab cannot install its toolchain (.NET without `dotnet`
    /// on PATH): a run skips such variants and reports them as not installed. Nil otherwise, also for a runtime
    /// that `stacklab install` brings, which preflight asks for instead.
    public static func missingRuntime(_ runtime: AppRuntime) -> String? {
        guard runtime == .dotnet, ExecutableLookup.find("dotnet") == nil else { return nil }
        return RuntimeToolchain.noDotnet
    }
}
