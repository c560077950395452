import StackLabCore

extension LocalStack {
    /// The endpoints `name` connects to, one per upstream of the graph, from the plans made so far.
    ///
    /// A hop keeps its target's endpoint (its credentials, its protocol) wherever it is reached through a proxy:
    /// at the sender's node proxy's listener for it when it crosses between node proxies, at the sender's
    /// sidecar's outbound listener for it when the sidecar carries the sender's hops, at the target's sidecar when
    /// the target is a database behind one (an HTTP target's sidecar is the endpoint, as a gateway). A node
    /// proxy, planned before the rest, is given the `reserved` ports of its upstreams
    /// (``StackGraph/nodeProxyUpstreams(of:)``), and so is an outbound sidecar, planned before its component.
    static func upstreamEndpoints(
        of name: String, in graph: StackGraph, plans: [String: LocalComponentPlan], reserved: [String: Int]
    ) -> [ComponentEndpoint] {
        if graph.isNodeProxy(name) {
            return graph.nodeProxyUpstreams(of: name).compactMap { hop in
                (reserved[hop.to] ?? plans[hop.to]?.port).map { ComponentEndpoint(port: $0, wireProtocol: .http) }
            }
        }
        if name == graph.entry.sidecar || graph.carrier(of: name) != nil {
            return graph.upstreams(of: name).compactMap { hop in
                plans[hop.to]?.endpoint ?? reserved[hop.to].map { ComponentEndpoint(port: $0, wireProtocol: .http) }
            }
        }
        let outbound = graph.outboundSidecar(of: name)
        return graph.hops(from: name).enumerated().compactMap { index, hop in
            if let throughNode = endpoint(from: name, to: hop.to, in: graph, plans: plans) { return throughNode }
            if let outbound {
                // The sidecar's first endpoint is its inbound listener, then one per hop out of its component.
                guard let listeners = plans[outbound]?.endpoints, index + 1 < listeners.count else { return nil }
                return plans[hop.to]?.endpoint.at(listeners[index + 1])
            }
            let listener = graph.listener(for: hop.to)
            guard listener != hop.to, let target = plans[hop.to]?.endpoint, target.wireProtocol != .http,
                let sidecar = plans[listener]?.endpoint
            else { return plans[listener]?.endpoint }
            return target.at(sidecar)
        }
    }
}

extension ComponentEndpoint {
    /// This endpoint reached at `listener`'s address, plain: a proxy in front of it that speaks for it.
    func at(_ listener: ComponentEndpoint) -> ComponentEndpoint {
        var endpoint = self
        endpoint.host = listener.host
        endpoint.port = listener.port
        endpoint.tls = false
        return endpoint
    }
}
