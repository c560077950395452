import Foundation
import Logging
import StackLabCore
import StackLabLocal

/// The stacks as processes on this machine: each variant's components started by their kinds' recipes
/// (`LocalStack`) under a `ProcessSupervisor`, their resources read from /proc (`ResourceSampler`).
public struct LocalBackend: StackBackend {
    /// Where StackLab's own executables (`stacklab-refapp`) are.
    public var binDirectory: URL
    public var logger: Logger

    public init(binDirectory: URL, logger: Logger = Logger(label: "stacklab.run")) {
        self.binDirectory = binDirectory
        self.logger = logger
    }

    public func preflight(_ spec: ExperimentSpec, runsDirectory: URL) throws {
        // Every variant's components installed and runnable, before any load: not a failure after an hour.
        try LocalStack.preflight(spec, binDirectory: binDirectory)
        try LocalStack.checkDiskSpace(spec, runsDirectory: runsDirectory)
    }

    public func versions(of spec: ExperimentSpec) -> [String: String] {
        let locator = ComponentLocator(binDirectory: binDirectory)
        return Dictionary(
            spec.components.map { ($0.name, locator.status(of: ComponentSource.of($0)).version ?? "unknown") }
        ) { first, _ in first }
    }

    public func notInstalledApps(of variant: Variant, in spec: ExperimentSpec) -> [AppFacts] {
        spec.stack(of: variant).compactMap { component in
            guard component.kind == .app, let runtime = component.runtime,
                let reason = LocalStack.missingRuntime(runtime)
            else { return nil }
            return AppFacts(variant: variant.name, component: component.name, runtime: runtime, notInstalled: reason)
        }
    }

    public func withStack<Result>(
        _ variant: Variant, of spec: ExperimentSpec, directory: URL, cpus: CPUSet?,
        _ body: (any RunningStack) async throws -> Result
    ) async throws -> Result {
        // Synthetic scrape targets outlive the stack: a backend never scrapes a target that has gone.
        try await SyntheticScrapeTargets.serving(variant, of: spec) { spec in
            try await withSupervisor(runDirectory: directory, grace: .seconds(5), logger: logger) { supervisor in
                let ports = PortAllocator()
                let stack = try await LocalStack.start(
                    variant, of: spec, supervisor: supervisor, ports: ports, binDirectory: binDirectory, cpus: cpus)
                return try await body(
                    LocalRunningStack(stack: stack, supervisor: supervisor, ports: ports, binDirectory: binDirectory))
            }
        }
    }
}
