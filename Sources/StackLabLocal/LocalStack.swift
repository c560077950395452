import Foundation
import StackLabCore

/// A variant's components running as local processes, chained on loopback ports.
public struct LocalStack: Sendable {
    public struct Running: Sendable {
        public var plan: LocalComponentPlan
        public var process: ChildProcess
    }

    /// In stack order: the first is what the load engine talks to.
    public var components: [Running]

    /// Where the load engine reaches the stack: its first component's endpoint, with its credentials.
    public var entry: ComponentEndpoint? { components.first?.plan.endpoint }

    /// Starts every component of `variant`, the last of the stack first so each can reach the next, and
    /// waits until each is ready; each app is then checked against the standard app API (`AppVerifier`).
    ///
    /// - Throws: `UserError` with the failing component's log tail, or naming the API rules an app fails;
    ///   what had started is left to the supervisor, whose scope stops it.
    public static func start(
        _ variant: Variant, of spec: ExperimentSpec, supervisor: ProcessSupervisor, ports: PortAllocator,
        binDirectory: URL, cpus: CPUSet?, readinessTimeout: Duration = .seconds(60)
    ) async throws -> LocalStack {
        let components = try variant.stack.map { name in
            guard let component = spec.components.first(where: { $0.name == name }) else {
                throw UserError("variant '\(variant.name)' names component '\(name)', which the spec does not define")
            }
            return component
        }
        var plans: [LocalComponentPlan] = []
        // The last first: each component is planned with the endpoint of the one after it (what a gateway
        // forwards to, the database an app uses), as that one's plan offers itself.
        for component in components.reversed() {
            let context = LocalPlanContext(
                port: try ports.next(), upstream: plans.first?.endpoint, binDirectory: binDirectory,
                runDirectory: supervisor.runDirectory, cpus: cpus, ports: ports)
            let plan = try ComponentRecipe.plan(component, in: context)
            for directory in plan.scratchDirectories { supervisor.removeWhenStopped(directory) }
            plans.insert(plan, at: 0)
        }
        var running: [Running] = []
        for plan in plans.reversed() {
            let process = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: readinessTimeout)
            running.insert(Running(plan: plan, process: process), at: 0)
            try await LocalComponents.kind(plan.component.kind)?.verify(plan, variant: variant.name)
        }
        return LocalStack(components: running)
    }
}
