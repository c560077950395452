import StackLabCore

/// `kind: caddy`: Debian's Caddy as a reverse proxy (`CaddyConfig`).
struct CaddyKind: GatewayKind {
    var kind: ComponentKind { .caddy }
    var renderer: any GatewayRenderer.Type { CaddyConfig.self }
    var sources: [ComponentSource] {
        [ComponentSource(name: "caddy", kind: .caddy, program: "caddy", origin: .apt(packages: ["caddy"]))]
    }
}
