extension ComponentKind {
    /// Whether a hop can start at a component of this kind: it sends requests onwards (a gateway to what it
    /// serves, an app to its database or broker).
    public var sendsRequests: Bool { isGateway || self == .app }

    /// Whether the kind accepts connections over `transport` as StackLab configures it: every kind takes plain
    /// connections; the gateways serve TLS with a certificate from the run's authority, and for mutual TLS also
    /// require a client certificate from it.
    public func terminates(_ transport: StackGraph.Transport) -> Bool {
        transport == .plain || isGateway
    }

    /// Whether a component of this kind can open its hops over `transport`: whatever sends can send plain; the
    /// gateways verify the next hop against the run's authority (TLS) and present a client certificate from it
    /// (mutual TLS). The reference app sends plain only.
    public func originates(_ transport: StackGraph.Transport) -> Bool {
        transport == .plain ? sendsRequests : isGateway
    }

    /// The kinds that can terminate or originate `transport`, as a list for a message ("nginx or envoy").
    static func listed(_ kinds: [ComponentKind]) -> String {
        let names = kinds.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "none" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
