extension StackGraph {
    /// The order to start the components in: every component after the components it sends to, a sidecar right
    /// after the component it carries (right before it when the sidecar carries its outbound hops, which the
    /// component opens as it starts), node proxies before everything and the client's sidecar last, so that
    /// whatever a component connects to is ready before it.
    ///
    /// Stopping goes the other way. Depth-first from the entry, following hops in the file's order, so the order
    /// is the same on every run.
    public var startOrder: [String] {
        var order: [String] = []
        var placed: Set<String> = []
        let sidecarOf = Dictionary(sidecars.map { ($0.component, $0.sidecar) }, uniquingKeysWith: { first, _ in first })
        depthFirst(
            entering: { _ in },
            leaving: { name in
                let carried = sidecarOf[name].map { [$0] } ?? []
                // Envoy connects to the component on demand, so an outbound sidecar can listen before it.
                let group = outboundSidecar(of: name) == nil ? [name] + carried : carried + [name]
                for component in group where placed.insert(component).inserted {
                    order.append(component)
                }
            })
        // The client's sidecar connects to the entry's listener, so it starts last.
        if let client = entry.sidecar, placed.insert(client).inserted { order.append(client) }
        // Node proxies first: they open their connections when one arrives, so they need nothing running, and
        // every component that sends through one finds it listening.
        return proxies.map(\.proxy).filter { !placed.contains($0) } + order
    }

    /// Every component in the order a request first reaches it, as the chain view (`Variant.stack`) lists them:
    /// the client's sidecar if it has one, the entry, then depth-first along the hops in the file's order (so the
    /// primary path, each component's first hop, comes first), a sidecar just before the component it carries.
    ///
    /// For a chain a → b → c this is `[a, b, c]`. Node proxies come last, in the file's order.
    public var requestOrder: [String] {
        // The client's sidecar is the first a request crosses.
        var order: [String] = entry.sidecar.map { [$0] } ?? []
        var placed = Set(order)
        let sidecarOf = Dictionary(sidecars.map { ($0.component, $0.sidecar) }, uniquingKeysWith: { first, _ in first })
        depthFirst(
            entering: { name in
                for component in (sidecarOf[name].map { [$0] } ?? []) + [name] where placed.insert(component).inserted {
                    order.append(component)
                }
            }, leaving: { _ in })
        return order + proxies.map(\.proxy).filter { placed.insert($0).inserted }
    }

    /// A cycle of hops, as the names along it with the first repeated at the end (`[a, b, a]`); nil when there
    /// is none.
    public var cycle: [String]? {
        let next = targets
        var finished: Set<String> = []
        for root in nodes where !finished.contains(root) {
            // The path from `root`, with the index of the next hop to follow from each component on it.
            var path: [(name: String, hop: Int)] = [(root, 0)]
            var onPath: [String: Int] = [root: 0]
            while let top = path.last {
                let out = next[top.name] ?? []
                guard top.hop < out.count else {
                    path.removeLast()
                    onPath[top.name] = nil
                    finished.insert(top.name)
                    continue
                }
                path[path.count - 1].hop += 1
                let target = out[top.hop]
                if let start = onPath[target] { return path[start...].map(\.name) + [target] }
                if !finished.contains(target) {
                    onPath[target] = path.count
                    path.append((target, 0))
                }
            }
        }
        return nil
    }

    /// The nodes no path of hops from the entry reaches, in the order they first appear.
    public var unreachable: [String] {
        let next = targets
        var reached: Set<String> = [entry.component]
        var frontier = [entry.component]
        while let name = frontier.popLast() {
            for target in next[name] ?? [] where reached.insert(target).inserted { frontier.append(target) }
        }
        return nodes.filter { !reached.contains($0) }
    }

    /// The targets of the hops out of each component, in the file's order.
    var targets: [String: [String]] {
        var targets: [String: [String]] = [:]
        for hop in hops { targets[hop.from, default: []].append(hop.to) }
        return targets
    }

    /// Walks depth-first from each node in turn (the entry first), following hops in the file's order, calling
    /// `entering` when a component is first reached and `leaving` when all it sends to has been walked. Iterative,
    /// so a long chain does not exhaust the stack.
    private func depthFirst(entering: (String) -> Void, leaving: (String) -> Void) {
        let next = targets
        var visited: Set<String> = []
        for root in nodes where visited.insert(root).inserted {
            entering(root)
            var path: [(name: String, hop: Int)] = [(root, 0)]
            while let top = path.last {
                let out = next[top.name] ?? []
                guard top.hop < out.count else {
                    path.removeLast()
                    leaving(top.name)
                    continue
                }
                path[path.count - 1].hop += 1
                let target = out[top.hop]
                if visited.insert(target).inserted {
                    entering(target)
                    path.append((target, 0))
                }
            }
        }
    }
}
