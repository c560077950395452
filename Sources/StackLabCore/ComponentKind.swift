/// What a component is, which decides the recipe that runs it.
public enum ComponentKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// A reference app serving the standard app API; its `runtime` says which one.
    case app
    case nginx
    case haproxy
    case traefik
    case envoy
    case caddy
    case postgres
    case mariadb
    case redis
    case nats
    case rabbitmq
    case mosquitto
    case prometheus
    case victoriaMetrics = "victoria-metrics"
}

extension ComponentKind {
    /// The wire protocols the load engine can speak to a component of this kind as the first of a stack: the
    /// facts the spec check needs, written once here, next to the case, and read by every backend's recipe.
    public var entryProtocols: [Workload.WireProtocol] {
        switch self {
        case .app, .nginx, .haproxy, .traefik, .envoy, .caddy: [.http]
        case .postgres: [.postgres, .sql]
        case .mariadb: [.mysql, .sql]
        case .redis: [.redis]
        case .nats: [.nats]
        case .rabbitmq: [.amqp]
        case .mosquitto: [.mqtt]
        case .prometheus, .victoriaMetrics: []
        }
    }

    /// Whether it is a gateway, which forwards every request to the next component of its stack.
    public var isGateway: Bool {
        switch self {
        case .nginx, .haproxy, .traefik, .envoy, .caddy: true
        case .app, .postgres, .mariadb, .redis, .nats, .rabbitmq, .mosquitto, .prometheus, .victoriaMetrics: false
        }
    }
}
