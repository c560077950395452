import StackLabCore

extension LocalStack {
    /// The endpoints `name` connects to, one per upstream of the graph, from the plans made so far: a hop that
    /// crosses between node proxies reaches the target's endpoint (its credentials, its protocol) at the sender's
    /// node proxy's listener for it. A node proxy, planned before the rest, is given the `reserved` ports of its
    /// upstreams (``StackGraph/nodeProxyUpstreams(of:)``).
    static func upstreamEndpoints(
        of name: String, in graph: StackGraph, plans: [String: LocalComponentPlan], reserved: [String: Int]
    ) -> [ComponentEndpoint] {
        if graph.isNodeProxy(name) {
            return graph.nodeProxyUpstreams(of: name).compactMap { hop in
                (reserved[hop.to] ?? plans[hop.to]?.port).map { ComponentEndpoint(port: $0, wireProtocol: .http) }
            }
        }
        guard !graph.proxies.isEmpty, graph.carrier(of: name) == nil else {
            return graph.upstreams(of: name).compactMap { plans[$0.to]?.endpoint }
        }
        return graph.hops(from: name).compactMap { hop in
            endpoint(from: name, to: hop.to, in: graph, plans: plans) ?? plans[graph.listener(for: hop.to)]?.endpoint
        }
    }

    /// The endpoint of `to` at the node proxy of `from` when a request between them crosses nodes; nil when it
    /// goes direct.
    static func endpoint(
        from: String, to: String, in graph: StackGraph, plans: [String: LocalComponentPlan]
    ) -> ComponentEndpoint? {
        guard let proxy = graph.meshProxy(from: from, to: to),
            let index = graph.meshListenerIndex(from: from, to: to),
            let listeners = plans[proxy]?.endpoints, index < listeners.count,
            var endpoint = plans[to]?.endpoint
        else { return nil }
        endpoint.host = listeners[index].host
        endpoint.port = listeners[index].port
        endpoint.tls = false
        return endpoint
    }
}
