extension StackGraph {
    /// A shared L4 proxy for one node (`kind: node-proxy`, like Istio's ztunnel) and the components on that node.
    ///
    /// A request between components on two nodes' proxies (the client counting as a component, ``client``) goes
    /// plain to the sender's node proxy, through an HTTP/2 CONNECT tunnel over mutual TLS to the receiver's node
    /// proxy, and plain on to the receiver: the node proxies, not the components, carry the mesh's mutual TLS.
    public struct NodeProxy: Sendable, Equatable, Codable {
        /// The node-proxy component.
        public var proxy: String
        /// The components on its node, in the file's order; ``StackGraph/client`` is the load engine.
        public var members: [String]

        public init(proxy: String, members: [String]) {
            self.proxy = proxy
            self.members = members
        }
    }

    /// The name a node proxy's members use for the load engine: `node_proxies: { node-a: [client] }`.
    public static let client = "client"

    /// The node proxies, in the file's order (none for most graphs).
    public var proxies: [NodeProxy] { nodeProxies ?? [] }

    /// Whether `name` is one of the node proxies.
    public func isNodeProxy(_ name: String) -> Bool {
        proxies.contains { $0.proxy == name }
    }

    /// The node proxy whose node `name` (a component, or ``client``) is on; nil when it is on none.
    public func nodeProxy(of name: String) -> String? {
        proxies.first { $0.members.contains(name) }?.proxy
    }

    /// The sender's node proxy when a request from `from` to `to` crosses between two nodes' proxies; nil when it
    /// goes direct (both on one node, or either end on none).
    public func meshProxy(from: String, to: String) -> String? {
        guard let sending = nodeProxy(of: from), let receiving = nodeProxy(of: to), sending != receiving else {
            return nil
        }
        return sending
    }

    /// Every request path that crosses between nodes, the client's to the entry first, then the hops in the
    /// file's order.
    public var meshHops: [Hop] {
        ([Hop(from: Self.client, to: entry.component, transport: entry.transport)] + hops).filter {
            meshProxy(from: $0.from, to: $0.to) != nil
        }
    }

    /// The routes `proxy` opens tunnels for, one outbound listener each, in ``meshHops`` order (the client's to the
    /// entry first when the client is on its node): a sender on its node and a destination on another. One per
    /// sender, as ztunnel does, since each tunnel presents its sender's identity.
    public func meshRoutes(of proxy: String) -> [Hop] {
        meshHops.filter { meshProxy(from: $0.from, to: $0.to) == proxy }
    }

    /// The identities (``identity(of:)``) that open tunnels to `arrival`, in ``meshHops`` order: the ones its node
    /// proxy lets in.
    public func meshSenders(to arrival: String) -> [String] {
        unique(meshHops.filter { $0.to == arrival }.map { identity(of: $0.from) })
    }

    /// The components on `proxy`'s node that receive tunnels from other nodes, in ``meshHops`` order.
    public func meshArrivals(of proxy: String) -> [String] {
        unique(meshHops.filter { nodeProxy(of: $0.to) == proxy }.map(\.to))
    }

    /// Where a node proxy connects: plain to each arrival on its node, then over mutual TLS to the node proxy of
    /// each route's destination, one hop per route in ``meshRoutes(of:)`` order.
    public func nodeProxyUpstreams(of proxy: String) -> [Hop] {
        meshArrivals(of: proxy).map { Hop(from: proxy, to: $0, transport: .plain) }
            + meshRoutes(of: proxy).compactMap { route in
                nodeProxy(of: route.to).map { Hop(from: proxy, to: $0, transport: .mutualTLS) }
            }
    }

    /// The index, in the endpoints of the node proxy `from` sends through, of its outbound listener for the route
    /// `from` → `to`: a node proxy's first endpoint is its tunnel listener, then one per route. Nil when the
    /// request goes direct.
    public func meshListenerIndex(from: String, to: String) -> Int? {
        guard let proxy = meshProxy(from: from, to: to),
            let index = meshRoutes(of: proxy).firstIndex(where: { $0.from == from && $0.to == to })
        else { return nil }
        return index + 1
    }

    private func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
