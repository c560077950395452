import Foundation
import StackLabCore

/// What a kind's plan is given: its port, the endpoint of what it sends to, and where it keeps its files.
public struct LocalPlanContext: Sendable {
    /// The loopback port it serves on.
    public var port: Int
    /// What it sends to, one endpoint per hop out, as each target's plan offers itself: what a gateway forwards
    /// to, the database an app uses. Empty for a component that sends nothing.
    public var upstreams: [ComponentEndpoint]
    /// The first of `upstreams`: a gateway forwards to one component.
    public var upstream: ComponentEndpoint? { upstreams.first }
    /// The variant's stack as a graph with the run's certificate authority, when its file used the graph form:
    /// a gateway then takes its transports (TLS or mutual TLS in and out) from its hops. Nil for a chain, whose
    /// entry serves the certificate its `tls_key` setting asks for, as before graphs.
    public var transports: Transports?
    /// Where StackLab's own executables (`stacklab-refapp`) are.
    public var binDirectory: URL
    /// Where the component keeps its files (`<run directory>/<name>/`: configuration, data, certificates).
    public var runDirectory: URL
    public var cpus: CPUSet?
    /// Hands out the extra loopback ports a kind needs (a gateway's readiness port).
    public var ports: PortAllocator
    /// Finds installed programs: StackLab's venv, PATH, Debian's system directories, `binDirectory`.
    public var locator: ComponentLocator

    public init(
        port: Int, upstream: ComponentEndpoint? = nil, binDirectory: URL, runDirectory: URL, cpus: CPUSet? = nil,
        ports: PortAllocator? = nil, locator: ComponentLocator? = nil
    ) {
        self.port = port
        self.upstreams = upstream.map { [$0] } ?? []
        self.binDirectory = binDirectory
        self.runDirectory = runDirectory
        self.cpus = cpus
        self.ports = ports ?? PortAllocator()
        self.locator = locator ?? ComponentLocator(binDirectory: binDirectory)
    }
}

extension LocalPlanContext {
    /// A graph-form stack's hops and the certificate authority made for it.
    public struct Transports: Sendable {
        public var graph: StackGraph
        public var authority: TLSCertificate.Authority

        public init(graph: StackGraph, authority: TLSCertificate.Authority) {
            self.graph = graph
            self.authority = authority
        }
    }
}
