extension ComponentKind {
    /// Whether a hop can start at a component of this kind: it sends requests onwards (a gateway to what it
    /// serves, an app to its database or broker).
    public var sendsRequests: Bool { isGateway || self == .app }

    /// Whether the kind accepts connections over `transport` as StackLab configures it: every kind takes plain
    /// connections; the gateways serve TLS with a certificate from the run's authority, and those whose
    /// configuration StackLab renders for it also require and verify client certificates (mutual TLS).
    public func terminates(_ transport: StackGraph.Transport) -> Bool {
        switch transport {
        case .plain: true
        case .tls: isGateway
        case .mutualTLS: Self.mutualTLSGateways.contains(self)
        }
    }

    /// Whether a component of this kind can open its hops over `transport`: whatever sends can send plain; the
    /// gateways whose configuration StackLab renders for it verify the next hop against the run's authority (TLS)
    /// and present a client certificate (mutual TLS). The reference app sends plain only.
    public func originates(_ transport: StackGraph.Transport) -> Bool {
        switch transport {
        case .plain: sendsRequests
        case .tls, .mutualTLS: Self.mutualTLSGateways.contains(self)
        }
    }

    /// The gateways whose rendered configuration does TLS and mutual TLS on both sides.
    static let mutualTLSGateways: [ComponentKind] = [.nginx, .envoy]

    /// The kinds that can terminate or originate `transport`, as a list for a message ("nginx or envoy").
    static func listed(_ kinds: [ComponentKind]) -> String {
        let names = kinds.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "none" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
