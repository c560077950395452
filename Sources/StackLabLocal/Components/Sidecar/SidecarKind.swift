import Foundation
import StackLabCore

/// `kind: sidecar`: Envoy as a mesh's injected proxy (Istio's data plane), from the same PyPI wheel as
/// `kind: envoy` and rendered by the same `EnvoyConfig`, with `SidecarOptions`: Istio's two worker threads by
/// default, SPIFFE identities checked on both sides of a mutual TLS hop, HTTP/2 between sidecars on request,
/// and its component's policy as Envoy's RBAC filter.
struct SidecarKind: GatewayKind {
    var kind: ComponentKind { .sidecar }
    var renderer: any GatewayRenderer.Type { EnvoyConfig.self }
    var sources: [ComponentSource] { [EnvoyKind.source(for: .sidecar)] }

    func configure(
        _ gateway: inout GatewayConfiguration, for component: Component, in context: LocalPlanContext
    )
        throws
    {
        var options = try SidecarOptions(component, in: context.transports?.graph)
        options.tcp = context.upstream.map { $0.wireProtocol != .http } ?? false
        if let transports = context.transports {
            options.outbound = try Self.outbound(of: component, in: transports, context: context)
        }
        gateway.workers = options.settings.concurrency
        gateway.sidecar = options
    }

    /// The outbound hops of the component `sidecar` carries, each with a listener port of its own, the port of the
    /// target's listener (the upstreams after the first, ``StackGraph/outboundHops(of:)``), and for an encrypted
    /// hop the run's authority and a client certificate with the component's identity.
    static func outbound(
        of sidecar: Component, in transports: LocalPlanContext.Transports, context: LocalPlanContext
    ) throws -> [SidecarOptions.Outbound] {
        let graph = transports.graph
        let hops = graph.outboundHops(of: sidecar.name)
        guard !hops.isEmpty else { return [] }
        let targets = Array(context.upstreams.dropFirst())
        guard targets.count == hops.count else {
            throw UserError(
                "component '\(sidecar.name)': its outbound hops were planned before what they connect to; this is a "
                    + "bug in the start order")
        }
        var client: GatewayConfiguration.TLSFiles?
        if hops.contains(where: { $0.transport == .mutualTLS }) {
            client = try TLSCertificate.issue(
                by: transports.authority,
                in: context.runDirectory.appendingPathComponent(sidecar.name).appendingPathComponent("tls-outbound"),
                name: sidecar.name, server: false, client: true, identity: graph.identity(of: sidecar.name),
                keyType: try TLSCertificate.KeyType(setting: sidecar.settings["tls_key"], component: sidecar.name))
        }
        return try zip(hops, targets).map { hop, target in
            SidecarOptions.Outbound(
                target: hop.to, listenPort: try context.ports.next(), upstreamPort: target.port,
                tls: hop.transport.isEncrypted
                    ? GatewayConfiguration.UpstreamTLS(
                        authority: transports.authority.certificate, client: hop.transport == .mutualTLS ? client : nil)
                    : nil,
                identity: MeshIdentity.spiffeID(graph.identity(of: hop.to)))
        }
    }
}
