import Foundation
import StackLabCore

/// How one component of a stack runs as a local process: the command, the readiness probe, its endpoints.
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
    /// For a metrics backend that scrapes only StackLab's synthetic targets, the samples per second it should
    /// ingest (``MetricsIngestion/expectedPerSecond``); nil otherwise.
    public var expectedSamplesPerSecond: Double?
    /// Where and how clients reach it, with the credentials its recipe made: the first is what the load engine
    /// (as the stack's entry) or the component in front of it talks to.
    public var endpoints: [ComponentEndpoint]

    public init(
        component: Component, command: LaunchCommand, readiness: ReadinessProbe, port: Int, version: String,
        configFiles: [RenderedConfig] = [], dataDirectory: URL? = nil, endpoints: [ComponentEndpoint] = []
    ) {
        self.component = component
        self.command = command
        self.readiness = readiness
        self.port = port
        self.version = version
        self.configFiles = configFiles
        self.dataDirectory = dataDirectory
        self.endpoints = endpoints
    }

    /// Its main endpoint: what the load engine or the component in front of it talks to.
    public var endpoint: ComponentEndpoint {
        endpoints.first
            ?? ComponentEndpoint(
                port: port, wireProtocol: component.kind.entryProtocols.first?.carrier ?? .http, tls: component.tls)
    }

    /// Whether it serves TLS on `port`, so clients must speak https to it.
    public var servesTLS: Bool { endpoint.tls }
}

/// The local recipes: for each kind of component, how to start it on a loopback port in front of the next.
///
/// The kinds that run locally are listed in `LocalComponents.all`, each in its folder under `Components/`;
/// the others are recognised by the spec so that files can name them, and refused here.
public enum ComponentRecipe {
    /// Plans `component` with its kind's recipe: writes its configuration (and its certificate, with
    /// `tls: true`) under `context.runDirectory/<component name>/`, before anything starts.
    ///
    /// - Throws: `UserError` naming the component when it cannot run on this machine, and what to do
    ///   (`stacklab install haproxy` for a gateway that is not installed).
    public static func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        guard let kind = LocalComponents.kind(component.kind) else { throw LocalComponents.noRecipe(component) }
        return try kind.plan(component, in: context)
    }

    /// Plans `component` on `port`, forwarding over plain HTTP to `upstreamPort` when it is not the last of
    /// a stack: the chain of HTTP hops that tests and tools start by hand.
    public static func plan(
        _ component: Component, port: Int, upstreamPort: Int?, binDirectory: URL, runDirectory: URL, cpus: CPUSet?,
        ports: PortAllocator? = nil, locator: ComponentLocator? = nil
    ) throws -> LocalComponentPlan {
        try plan(
            component,
            in: LocalPlanContext(
                port: port, upstream: upstreamPort.map { ComponentEndpoint(port: $0, wireProtocol: .http) },
                binDirectory: binDirectory, runDirectory: runDirectory, cpus: cpus, ports: ports, locator: locator))
    }
}
