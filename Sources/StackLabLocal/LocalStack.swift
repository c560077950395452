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
    /// Set when the client reaches the entry through its node proxy (``StackGraph/NodeProxy``): the entry's
    /// endpoint at the node proxy's listener for it.
    public var entryThroughNodeProxy: ComponentEndpoint?

    /// Where the load engine reaches the stack: its first component's endpoint, with its credentials.
    public var entry: ComponentEndpoint? { entryThroughNodeProxy ?? components.first?.plan.endpoint }

    /// Starts every component of `variant` in its graph's start order (each after the components it sends to,
    /// so that each can reach what it sends to), and waits until each is ready; each kind's own check then runs
    /// (an app against the standard app API).
    ///
    /// A graph-form variant gets a certificate authority of its own (`<run directory>/ca`) from which every
    /// TLS and mutual-TLS hop's certificates are issued; a chain keeps today's single self-signed certificate
    /// on a `tls: true` entry.
    ///
    /// - Throws: `UserError` with the failing component's log tail, or naming the API rules an app fails;
    ///   what had started is left to the supervisor, whose scope stops it.
    public static func start(
        _ variant: Variant, of spec: ExperimentSpec, supervisor: ProcessSupervisor, ports: PortAllocator,
        binDirectory: URL, cpus: CPUSet?, readinessTimeout: Duration = .seconds(60)
    ) async throws -> LocalStack {
        guard let graph = spec.graph(of: variant) else {
            throw UserError("variant '\(variant.name)' has no components")
        }
        let byName = Dictionary(spec.components.map { ($0.name, $0) }) { first, _ in first }
        for name in graph.components where byName[name] == nil {
            throw UserError("variant '\(variant.name)' names component '\(name)', which the spec does not define")
        }
        var transports: LocalPlanContext.Transports?
        if variant.graph != nil {
            let authority = try TLSCertificate.makeAuthority(
                in: supervisor.runDirectory.appendingPathComponent("ca"))
            transports = LocalPlanContext.Transports(graph: graph, authority: authority)
        }
        // Each planned with the endpoints of what it sends to, as their plans offer themselves.
        var plans: [String: LocalComponentPlan] = [:]
        let order = graph.startOrder
        // Node proxies are planned first and name the ports of what they connect to, and an outbound sidecar is
        // planned before the component it forwards to: every port is chosen first.
        var reserved: [String: Int] = [:]
        if !graph.proxies.isEmpty || graph.sidecars.contains(where: { $0.outbound == true }) {
            for name in order { reserved[name] = try ports.next() }
        }
        for name in order {
            let upstreams = upstreamEndpoints(of: name, in: graph, plans: plans, reserved: reserved)
            var context = LocalPlanContext(
                port: try reserved[name] ?? ports.next(), binDirectory: binDirectory,
                runDirectory: supervisor.runDirectory, cpus: cpus, ports: ports)
            context.upstreams = upstreams
            context.transports = transports
            var plan = try ComponentRecipe.plan(byName[name]!, in: context)
            // Limits are enforced on the component as a kubelet does, with cgroups (`ResourceCgroup`).
            plan.command.resources = byName[name]!.resources
            for directory in plan.scratchDirectories { supervisor.removeWhenStopped(directory) }
            plans[name] = plan
        }
        var started: [String: Running] = [:]
        for name in order {
            let plan = plans[name]!
            let process = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: readinessTimeout)
            started[name] = Running(plan: plan, process: process)
            try await LocalComponents.kind(plan.component.kind)?.verify(plan, variant: variant.name)
        }
        // In the order a request first reaches them, the client's listener first (`Variant.stack`).
        let listener = graph.entryListener
        let names = [listener] + graph.requestOrder.filter { $0 != listener }
        return LocalStack(
            components: names.compactMap { started[$0] },
            entryThroughNodeProxy: endpoint(from: StackGraph.client, to: graph.entry.component, in: graph, plans: plans)
        )
    }
}
