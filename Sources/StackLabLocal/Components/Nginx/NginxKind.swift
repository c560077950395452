import StackLabCore

/// `kind: nginx`: Debian's nginx as a reverse proxy (`NginxConfig`).
struct NginxKind: GatewayKind {
    var kind: ComponentKind { .nginx }
    var renderer: any GatewayRenderer.Type { NginxConfig.self }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "nginx", kind: .nginx, program: "nginx", origin: .apt(packages: ["nginx-light", "nginx"]))
        ]
    }
}
