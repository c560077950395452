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
        let options = try SidecarOptions(component, in: context.transports?.graph)
        gateway.workers = options.settings.concurrency
        gateway.sidecar = options
    }
}
