import StackLabCore

/// `kind: haproxy`: Debian's HAProxy as a reverse proxy (`HAProxyConfig`).
struct HAProxyKind: GatewayKind {
    var kind: ComponentKind { .haproxy }
    var renderer: any GatewayRenderer.Type { HAProxyConfig.self }
    var sources: [ComponentSource] {
        [ComponentSource(name: "haproxy", kind: .haproxy, program: "haproxy", origin: .apt(packages: ["haproxy"]))]
    }
}
