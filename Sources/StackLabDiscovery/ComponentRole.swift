import StackLabCore

extension ComponentRole {
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
