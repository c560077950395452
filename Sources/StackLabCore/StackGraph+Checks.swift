import Yams

extension SpecReader {
    /// The rules of a graph-form variant, each broken one reported at the line of the hop, entry or sidecar that
    /// breaks it: a component in one role, no cycle, every node reachable from the entry, exactly one hop out of a
    /// gateway, hops that start where requests are sent and carry what the receiver speaks, transports that both
    /// ends can do and that agree into each listener.
    mutating func checkGraph(_ graph: StackGraph, at locations: StackGraphLocations, components: [Component]) {
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func kind(_ name: String) -> ComponentKind? { byName[name]?.kind }
        // Where a name is first mentioned: the entry, a hop, or the variant.
        var firstHop: [String: Int] = [:]
        for (index, hop) in graph.hops.enumerated() {
            for name in [hop.from, hop.to] where firstHop[name] == nil { firstHop[name] = index }
        }
        func mention(_ name: String) -> (Node?, String) {
            if graph.entry.component == name { return (locations.entry, locations.entryPath) }
            if let index = firstHop[name] { return (locations.hops[index], locations.hopPath(index)) }
            return (locations.variant, locations.path)
        }
        checkSidecars(graph, at: locations, kind: kind, policy: { byName[$0]?.policy })
        checkNodeProxies(graph, at: locations, kind: kind)
        checkClientSidecar(graph, at: locations, byName: byName)
        if let cycle = graph.cycle, cycle.count > 1,
            let index = graph.hops.firstIndex(where: { $0.from == cycle[0] && $0.to == cycle[1] })
        {
            report(
                locations.hops[index], locations.hopPath(index),
                "the hops form a cycle (\(Self.cycleText(cycle))); a request must end at a component that sends "
                    + "nowhere")
        }
        for name in graph.unreachable {
            let (node, path) = mention(name)
            report(
                node, path,
                "'\(name)' is not reachable from the entry '\(graph.entry.component)'; add a hop to it or remove its hops"
            )
        }
        let targets = graph.targets
        for name in graph.nodes {
            guard let kind = kind(name), kind.isGateway else { continue }
            guard let out = targets[name] else {
                let (node, path) = mention(name)
                report(
                    node, path,
                    "'\(name)' is a \(kind.rawValue) gateway with no hop out, with nothing to forward to; add one, "
                        + "e.g. \(name) -> app")
                continue
            }
            if out.count > 1, let index = graph.hops.lastIndex(where: { $0.from == name }) {
                report(
                    locations.hops[index], locations.hopPath(index),
                    "'\(name)' is a \(kind.rawValue) gateway with \(out.count) hops out (to "
                        + (out.prefix(5).map { "'\($0)'" } + (out.count > 5 ? ["…"] : [])).joined(separator: ", ")
                        + "); a gateway forwards every request to one component, so keep one")
            }
        }
        let sidecarOf = Dictionary(
            graph.sidecars.map { ($0.component, $0.sidecar) }, uniquingKeysWith: { first, _ in first })
        func listener(_ name: String) -> String { sidecarOf[name] ?? name }
        for (index, hop) in graph.hops.enumerated() {
            checkHop(
                hop, node: locations.hops[index], path: locations.hopPath(index), listener: listener,
                sender: graph.outboundSidecar(of: hop.from), kind: kind)
        }
        checkEntry(graph, at: locations, listener: listener, kind: kind)
        checkListeners(graph, at: locations, listener: listener, byName: byName)
    }

    /// `a -> b -> a`, or for a long cycle its start and its length: `g0 -> g1 -> … -> g0, 20,000 components`.
    static func cycleText(_ cycle: [String]) -> String {
        guard cycle.count > 8 else { return cycle.joined(separator: " -> ") }
        return (cycle.prefix(6) + ["…", cycle[0]]).joined(separator: " -> ")
            + ", \(MessageText.grouped(cycle.count - 1)) components"
    }

    /// A sidecar is a gateway that carries a component of the stack, and has no other role. Only `kind: sidecar`
    /// carries what does not speak HTTP (as TCP, with a policy by identity alone).
    private mutating func checkSidecars(
        _ graph: StackGraph, at locations: StackGraphLocations, kind: (String) -> ComponentKind?,
        policy: (String) -> SidecarPolicy?
    ) {
        let nodes = Set(graph.nodes)
        let sidecarNames = Set(graph.sidecars.map(\.sidecar))
        var seen: [String: String] = [:]
        for carried in graph.sidecars {
            let node = locations.sidecars[carried.component]
            let path = locations.sidecarPath(carried.component)
            let (component, sidecar) = (carried.component, carried.sidecar)
            if component == sidecar {
                report(node, path, "'\(component)' cannot be its own sidecar; name a gateway such as envoy")
                continue
            }
            if let other = seen[sidecar] {
                report(
                    node, path,
                    "'\(sidecar)' is the sidecar of both '\(other)' and '\(component)'; a component has one role in a "
                        + "stack: define one sidecar component for each")
            }
            seen[sidecar] = component
            if nodes.contains(sidecar) {
                report(
                    node, path,
                    "'\(sidecar)' is the sidecar of '\(component)' and also in the hops; a component has one role in a "
                        + "stack: define another component for one of them")
            }
            if sidecarNames.contains(component) {
                report(
                    node, path,
                    "'\(component)' is a sidecar itself and cannot carry one; a component has one role in a stack")
            } else if !nodes.contains(component) {
                report(
                    node, path,
                    "'\(component)' carries a sidecar but is not in the stack; add a hop to it or remove the sidecar")
            }
            if let sidecarKind = kind(sidecar), !sidecarKind.isGateway {
                report(
                    node, path,
                    "'\(sidecar)' (kind \(sidecarKind.rawValue)) cannot be a sidecar: it does not forward requests; "
                        + "use a gateway such as envoy")
            }
            if let carriedKind = kind(component), !Workload.WireProtocol.http.entryKinds.contains(carriedKind) {
                if kind(sidecar) != .sidecar {
                    report(
                        node, path,
                        "'\(component)' (kind \(carriedKind.rawValue)) does not speak HTTP, which a gateway forwards; "
                            + "use kind sidecar, which carries it as TCP")
                } else if let written = policy(sidecar),
                    written.allow.contains(where: { !$0.paths.isEmpty || !$0.methods.isEmpty })
                {
                    report(
                        node, path,
                        "'\(sidecar)' carries '\(component)' (kind \(carriedKind.rawValue)) as TCP, so its policy can "
                            + "allow by identity (from) only: drop its paths and methods")
                }
            }
        }
    }

    /// A hop starts at a component that sends, carries what its receiver speaks, and both ends can do its transport:
    /// the sender's outbound sidecar (`sender`) opens it when the sender has one.
    private mutating func checkHop(
        _ hop: StackGraph.Hop, node: Node, path: String, listener: (String) -> String, sender: String?,
        kind: (String) -> ComponentKind?
    ) {
        let name = "hop '\(hop.from) -> \(hop.to)'"
        guard let from = kind(hop.from), let to = kind(hop.to) else { return }
        guard from.sendsRequests else {
            report(
                node, path,
                "'\(hop.from)' (kind \(from.rawValue)) sends no requests, so no hop can start at it; turn the hop around?"
            )
            return
        }
        if from.isGateway && !Workload.WireProtocol.http.entryKinds.contains(to) {
            report(
                node, path,
                "\(name): a \(from.rawValue) gateway forwards HTTP, which '\(hop.to)' (kind \(to.rawValue)) does not "
                    + "speak; put an app between them")
        }
        guard hop.transport != .plain else { return }
        let opener = sender.flatMap { name in kind(name).map { (name, $0) } } ?? (hop.from, from)
        if !opener.1.originates(hop.transport) {
            let able = ComponentKind.listed(ComponentKind.allCases.filter { $0.originates(hop.transport) })
            let who =
                opener.0 == hop.from
                ? "'\(hop.from)' (kind \(from.rawValue))"
                : "'\(hop.from)''s sidecar '\(opener.0)' (kind \(opener.1.rawValue))"
            let fix =
                opener.0 == hop.from && from.sendsThroughSidecar
                ? "; give it a sidecar of kind sidecar, which opens it (sidecars: { \(hop.from): \(hop.from)-proxy })"
                : "; \(able) can"
            report(node, path, "\(name) uses \(hop.transport.rawValue), which \(who) cannot open\(fix)")
        }
        checkTermination(
            hop.transport, into: hop.to, listener: listener(hop.to), kind: kind, node: node, path: path, what: name)
    }

    /// The client (the load engine) opens plain or TLS connections; the entry must accept what it opens.
    private mutating func checkEntry(
        _ graph: StackGraph, at locations: StackGraphLocations, listener: (String) -> String,
        kind: (String) -> ComponentKind?
    ) {
        let entry = graph.entry
        guard entry.transport != .mutualTLS || entry.sidecar != nil else {
            report(
                locations.entry, locations.entryPath,
                "the load engine presents no client certificate, so the entry cannot use mtls; use plain or tls, or "
                    + "give the client a sidecar: { to: \(entry.component), transport: mtls, sidecar: client-proxy }")
            return
        }
        guard entry.transport.isEncrypted else { return }
        checkTermination(
            entry.transport, into: entry.component, listener: listener(entry.component), kind: kind,
            node: locations.entry,
            path: locations.entryPath, what: "the entry '\(entry.component)'")
    }

    /// Whether what accepts connections for `target` (its sidecar, else itself) terminates `transport`.
    private mutating func checkTermination(
        _ transport: StackGraph.Transport, into target: String, listener: String, kind: (String) -> ComponentKind?,
        node: Node?, path: String, what: String
    ) {
        guard let listenerKind = kind(listener), !listenerKind.terminates(transport) else { return }
        let able = ComponentKind.listed(ComponentKind.allCases.filter { $0.terminates(transport) })
        let who =
            listener == target
            ? "'\(target)' (kind \(listenerKind.rawValue))"
            : "'\(target)''s sidecar '\(listener)' (kind \(listenerKind.rawValue))"
        let fix = listener == target ? "; put \(able) in front of it, e.g. as its sidecar" : "; \(able) can"
        report(node, path, "\(what) uses \(transport.rawValue), which \(who) cannot terminate\(fix)")
    }

    /// Each listener accepts one transport: every connection into it uses the same one, TLS if it has `tls: true`;
    /// a component whose sidecar terminates its connections does not serve TLS itself.
    private mutating func checkListeners(
        _ graph: StackGraph, at locations: StackGraphLocations, listener: (String) -> String,
        byName: [String: Component]
    ) {
        var inbound: [(listener: String, from: String, transport: StackGraph.Transport, node: Node?, path: String)] = [
            (listener(graph.entry.component), "the client", graph.entry.transport, locations.entry, locations.entryPath)
        ]
        for (index, hop) in graph.hops.enumerated() {
            inbound.append(
                (listener(hop.to), "'\(hop.from)'", hop.transport, locations.hops[index], locations.hopPath(index)))
        }
        // A reference app with tls: true is reported as such, once.
        func servesTLS(_ name: String) -> Bool { byName[name].map { $0.tls && $0.kind.terminates(.tls) } ?? false }
        // The first connection into each listener, and the listeners already reported.
        var first: [String: Int] = [:]
        var reported: Set<String> = []
        for (index, connection) in inbound.enumerated() {
            if servesTLS(connection.listener) && connection.transport == .plain {
                report(
                    connection.node, connection.path,
                    "'\(connection.listener)' has tls: true, so connections to it use TLS; this one says plain: "
                        + "drop one of the two")
                continue
            }
            guard let earlierIndex = first[connection.listener] else {
                first[connection.listener] = index
                continue
            }
            let earlier = inbound[earlierIndex]
            guard earlier.transport != connection.transport, reported.insert(connection.listener).inserted else {
                continue
            }
            report(
                connection.node, connection.path,
                "'\(connection.listener)' would receive \(earlier.transport.rawValue) from \(earlier.from) and "
                    + "\(connection.transport.rawValue) from \(connection.from); it listens with one transport, so "
                    + "give the hops into it the same one")
        }
        for carried in graph.sidecars where servesTLS(carried.component) {
            report(
                locations.sidecars[carried.component], locations.sidecarPath(carried.component),
                "'\(carried.component)' has tls: true but its sidecar '\(carried.sidecar)' terminates the connections "
                    + "into it; give the hops into it (or '\(carried.sidecar)') the transport instead")
        }
    }
}
