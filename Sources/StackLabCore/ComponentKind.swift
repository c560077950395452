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
