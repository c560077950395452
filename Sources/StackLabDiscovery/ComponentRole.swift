import StackLabCore

/// What a component does in a stack, which decides its peers: a new gateway is measured against the lab's gateways.
public enum ComponentRole: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case gateway
    case database
    case cache
    case broker
    case metrics
    case app

    /// The role of each kind StackLab runs.
    public static func of(_ kind: ComponentKind) -> ComponentRole {
        switch kind {
        case .nginx, .haproxy, .traefik, .envoy, .caddy, .sidecar, .nodeProxy: .gateway
        case .postgres, .mariadb: .database
        case .redis: .cache
        case .nats, .rabbitmq, .mosquitto: .broker
        case .prometheus, .victoriaMetrics, .nodeExporter: .metrics
        case .app: .app
        }
    }

    /// The role a landscape item would play, from its subcategory (and a few words for caches and time series).
    public static func of(_ item: LandscapeItem) -> ComponentRole? {
        let text = "\(item.name) \(item.description ?? "")".lowercased()
        switch item.subcategory {
        case "Service Proxy", "API Gateway", "Gateway": return .gateway
        case "Database":
            return text.contains("cache") || text.contains("key-value") || text.contains("in-memory")
                ? .cache : .database
        case "Streaming & Messaging": return .broker
        case "Observability":
            return text.contains("metric") || text.contains("time series") || text.contains("time-series")
                ? .metrics : nil
        default: return nil
        }
    }
}
