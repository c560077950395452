extension StackGraph {
    /// The order to start the components in: every component after the components it sends to, and a sidecar
    /// right after the component it carries, so that whatever a component connects to is ready before it.
    ///
    /// Stopping goes the other way. Depth-first from the entry, following hops in the file's order, so the order
    /// is the same on every run.
    public var startOrder: [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ name: String) {
            guard visited.insert(name).inserted else { return }
            for hop in hops(from: name) { visit(hop.to) }
            order.append(name)
            if let sidecar = sidecar(of: name), !order.contains(sidecar) { order.append(sidecar) }
        }
        for name in nodes { visit(name) }
        return order
    }

    /// Every component in the order a request first reaches it, as the chain view (`Variant.stack`) lists them:
    /// the entry, then depth-first along the hops in the file's order (so the primary path, each component's first
    /// hop, comes first), a sidecar just before the component it carries.
    ///
    /// For a chain a → b → c this is `[a, b, c]`.
    public var requestOrder: [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ name: String) {
            guard visited.insert(name).inserted else { return }
            if let sidecar = sidecar(of: name), !order.contains(sidecar) { order.append(sidecar) }
            order.append(name)
            for hop in hops(from: name) { visit(hop.to) }
        }
        for name in nodes { visit(name) }
        return order
    }

    /// A cycle of hops, as the names along it with the first repeated at the end (`[a, b, a]`); nil when there
    /// is none.
    public var cycle: [String]? {
        var finished: Set<String> = []
        var path: [String] = []
        func search(_ name: String) -> [String]? {
            if let start = path.firstIndex(of: name) { return Array(path[start...]) + [name] }
            guard !finished.contains(name) else { return nil }
            path.append(name)
            defer {
                path.removeLast()
                finished.insert(name)
            }
            for hop in hops(from: name) {
                if let found = search(hop.to) { return found }
            }
            return nil
        }
        for name in nodes {
            if let found = search(name) { return found }
        }
        return nil
    }

    /// The nodes no path of hops from the entry reaches, in the order they first appear.
    public var unreachable: [String] {
        var reached: Set<String> = [entry.component]
        var frontier = [entry.component]
        while let name = frontier.popLast() {
            for hop in hops(from: name) where reached.insert(hop.to).inserted { frontier.append(hop.to) }
        }
        return nodes.filter { !reached.contains($0) }
    }
}
