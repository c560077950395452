/// What a component does in a stack, which decides its peers: a new gateway is measured against the lab's gateways.
public enum ComponentRole: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case gateway
    case database
    case cache
    case broker
    case metrics
    case app
}

extension ComponentKind {
    /// The role of each kind StackLab runs, written next to the kind's other facts so that a new kind is one switch
    /// arm here, not a second list elsewhere.
    public var role: ComponentRole {
        switch self {
        case .nginx, .haproxy, .traefik, .envoy, .caddy, .sidecar, .nodeProxy: .gateway
        case .postgres, .mariadb: .database
        case .redis: .cache
        case .nats, .rabbitmq, .mosquitto: .broker
        case .prometheus, .victoriaMetrics, .nodeExporter: .metrics
        case .app: .app
        }
    }
}
