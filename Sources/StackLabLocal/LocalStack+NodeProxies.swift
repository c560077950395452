import StackLabCore

extension LocalStack {
    /// The endpoint of `to` at the node proxy of `from` when a request between them crosses nodes; nil when it
    /// goes direct.
    static func endpoint(
        from: String, to: String, in graph: StackGraph, plans: [String: LocalComponentPlan]
    ) -> ComponentEndpoint? {
        guard let proxy = graph.meshProxy(from: from, to: to),
            let index = graph.meshListenerIndex(from: from, to: to),
            let listeners = plans[proxy]?.endpoints, index < listeners.count,
            let endpoint = plans[to]?.endpoint
        else { return nil }
        return endpoint.at(listeners[index])
    }
}
