extension StackGraph {
    /// The chain `names[0]` → `names[1]` → …: the client talks to the first over `entryTransport`, every other
    /// hop is plain, no sidecars. What `variants: { name: [a, b, c] }` means.
    ///
    /// - Precondition: `names` is not empty.
    public init(chain names: [String], entryTransport: Transport = .plain) {
        precondition(!names.isEmpty, "a chain needs a component")
        self.init(
            entry: Entry(component: names[0], transport: entryTransport),
            hops: zip(names, names.dropFirst()).map { Hop(from: $0, to: $1) })
    }

    /// Whether the graph is a chain: no sidecars (the client's neither), and each component sends to at most one other, which receives
    /// from no other.
    public var isChain: Bool {
        guard sidecars.isEmpty, entry.sidecar == nil else { return false }
        var froms: Set<String> = []
        var tos: Set<String> = [entry.component]
        for hop in hops {
            guard froms.insert(hop.from).inserted, tos.insert(hop.to).inserted else { return false }
        }
        return true
    }
}

extension ExperimentSpec {
    /// The graph of `variant`: the one the file gives, or for a chain (`[a, b, c]`) the chain, the client's
    /// transport TLS when the first component has `tls: true` and every other hop plain; nil for an empty stack.
    public func graph(of variant: Variant) -> StackGraph? {
        if let graph = variant.graph { return graph }
        guard let first = variant.stack.first else { return nil }
        let tls = component(named: first)?.tls ?? false
        return StackGraph(chain: variant.stack, entryTransport: tls ? .tls : .plain)
    }
}
