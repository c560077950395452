/// What a component is, which decides the recipe that runs it.
public enum ComponentKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// A reference app serving the standard app API; its `runtime` says which one.
    case app
    case nginx
    case haproxy
    case traefik
    case envoy
    case caddy
    /// Envoy as a service mesh's injected proxy (Istio's data plane): beside a component, in front of its inbound
    /// traffic, or on the client's side carrying its outgoing traffic; mutual TLS with SPIFFE identities, RBAC.
    case sidecar
    case postgres
    case mariadb
    case redis
    case nats
    case rabbitmq
    case mosquitto
    case prometheus
    /// VictoriaMetrics single node; a file may also write `victoriametrics` (``spellings``).
    case victoriaMetrics = "victoria-metrics"
    /// Prometheus's node exporter: a scrape target with a real machine's series.
    case nodeExporter = "node-exporter"
    /// A shared L4 proxy, one per node, carrying its node's traffic to other nodes over mutual TLS (an
    /// "ambient"-style mesh, like Istio's ztunnel): named under a graph variant's `node_proxies`.
    case nodeProxy = "node-proxy"
}

extension ComponentKind {
    /// The wire protocols the load engine can speak to a component of this kind as the first of a stack: the
    /// facts the spec check needs, written once here, next to the case, and read by every backend's recipe.
    public var entryProtocols: [Workload.WireProtocol] {
        switch self {
        case .app, .nginx, .haproxy, .traefik, .envoy, .caddy, .sidecar: [.http]
        case .postgres: [.postgres, .sql]
        case .mariadb: [.mysql, .sql]
        case .redis: [.redis]
        case .nats: [.nats]
        case .rabbitmq: [.amqp]
        case .mosquitto: [.mqtt]
        case .prometheus, .victoriaMetrics: [.promql]
        case .nodeExporter, .nodeProxy: []
        }
    }

    /// Whether it is a gateway, which forwards every request to the next component of its stack.
    public var isGateway: Bool {
        switch self {
        case .nginx, .haproxy, .traefik, .envoy, .caddy, .sidecar: true
        case .app, .postgres, .mariadb, .redis, .nats, .rabbitmq, .mosquitto, .prometheus, .victoriaMetrics,
            .nodeExporter, .nodeProxy:
            false
        }
    }
}

extension ComponentKind {
    /// Other spellings a file may use for a kind: `victoriametrics`, as the project's issues write it.
    public static let spellings: [String: ComponentKind] = ["victoriametrics": .victoriaMetrics]
}
