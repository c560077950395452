import StackLabCore

/// The registry of the kinds that run on this machine, one line per kind: preflight, `stacklab components`,
/// `stacklab install`, backup settings, the recovery drills and the conformance test read it.
public enum LocalComponents {
    /// Every kind that runs locally, in the order `stacklab components` lists them.
    public static let all: [any LocalComponentKind] = [
        NginxKind(),
        HAProxyKind(),
        TraefikKind(),
        EnvoyKind(),
        CaddyKind(),
        SidecarKind(),
        PostgresKind(),
        MariaDBKind(),
        RedisKind(),
        NATSKind(),
        RabbitMQKind(),
        MosquittoKind(),
        AppKind(),
        NodeProxyKind(),
        PrometheusKind(),
        VictoriaMetricsKind(),
        NodeExporterKind(),
    ]

    /// The registered kind that runs `kind`; nil when it has no local recipe.
    public static func kind(_ kind: ComponentKind) -> (any LocalComponentKind)? {
        all.first { $0.kind == kind }
    }

    /// What runs locally, for messages: `the reference apps, the gateways (nginx, haproxy, traefik, envoy,
    /// caddy), postgres, mariadb, redis and nats`.
    public static var description: String {
        let gateways = all.map(\.kind).filter(\.isGateway).map(\.rawValue)
        let others = all.map(\.kind).filter { !$0.isGateway && $0 != .app }.map(\.rawValue)
        var parts: [String] = []
        if all.contains(where: { $0.kind == .app }) { parts.append("the reference apps") }
        if !gateways.isEmpty { parts.append("the gateways (\(gateways.joined(separator: ", ")))") }
        parts += others
        return parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
    }

    /// The error for a component whose kind has no local recipe, saying what does run locally.
    static func noRecipe(_ component: Component) -> UserError {
        UserError(
            "component '\(component.name)': kind \(component.kind.rawValue) has no local recipe yet; "
                + "\(description) run locally")
    }
}
