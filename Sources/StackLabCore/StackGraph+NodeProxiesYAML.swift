import Yams

extension SpecReader {
    /// `node_proxies: { node-a: [client], node-b: [app, api] }`: each node proxy with the components on its node
    /// (`client` for the load engine); names checked as defined, nothing on two nodes.
    mutating func nodeProxies(
        _ node: Node, _ keyPath: String, defined: DefinedNames?
    ) -> (proxies: [StackGraph.NodeProxy], keys: [String: Node])? {
        guard
            let entries = fields(
                node, keyPath, allowed: nil,
                expected: "a mapping of node proxies to the components on their node, e.g. { node-a: [client], "
                    + "node-b: [app] }")
        else { return nil }
        var proxies: [StackGraph.NodeProxy] = []
        var keys: [String: Node] = [:]
        var placed: [String: String] = [:]
        var complete = true
        for proxy in entries.keys {
            let keyNode = entries.keyNode(proxy) ?? node
            let path = entries.path(proxy)
            guard checkDefined(proxy, keyNode, path, defined: defined),
                let items = list(entries[proxy]!, path, example: "[client] or [app, api]")
            else {
                complete = false
                continue
            }
            var members: [String] = []
            for (index, item) in items.enumerated() {
                let itemPath = SpecReader.path(path, index: index)
                guard let member = name(item, itemPath),
                    member == StackGraph.client || checkDefined(member, item, itemPath, defined: defined)
                else {
                    complete = false
                    continue
                }
                if let other = placed[member] {
                    report(
                        item, itemPath,
                        "'\(member)' is on the nodes of both '\(other)' and '\(proxy)'; a component runs on one node")
                    complete = false
                    continue
                }
                placed[member] = proxy
                members.append(member)
            }
            if items.isEmpty {
                report(
                    entries[proxy]!, path,
                    "node proxy '\(proxy)' has no components on its node; list them, e.g. [client] or [app]")
                complete = false
            }
            proxies.append(StackGraph.NodeProxy(proxy: proxy, members: members))
            keys[proxy] = keyNode
        }
        return complete ? (proxies, keys) : nil
    }

    /// The rules of node proxies, each broken one reported at its node proxy's key: a node proxy is of kind
    /// node-proxy and has no other role; its members are components of the stack (or the client) carrying no
    /// sidecar; it carries at least one request between nodes; and the hops it carries leave their transport to it.
    mutating func checkNodeProxies(
        _ graph: StackGraph, at locations: StackGraphLocations, kind: (String) -> ComponentKind?
    ) {
        let nodes = Set(graph.nodes)
        let sidecarRoles = Set(graph.sidecars.flatMap { [$0.sidecar, $0.component] })
        let proxyNames = Set(graph.proxies.map(\.proxy))
        for name in graph.nodes + graph.sidecars.map(\.sidecar)
        where kind(name) == .nodeProxy && !proxyNames.contains(name) {
            report(
                locations.variant, locations.path,
                "'\(name)' is a node proxy; it carries hops between nodes and is not addressed by them: list it under "
                    + "node_proxies with the components on its node")
        }
        for proxy in graph.proxies {
            let (node, path) = (locations.nodeProxies[proxy.proxy], locations.nodeProxyPath(proxy.proxy))
            if let proxyKind = kind(proxy.proxy), proxyKind != .nodeProxy {
                report(
                    node, path,
                    "'\(proxy.proxy)' (kind \(proxyKind.rawValue)) cannot be a node proxy; define a component of kind "
                        + "node-proxy")
                continue
            }
            if nodes.contains(proxy.proxy) || sidecarRoles.contains(proxy.proxy) {
                report(
                    node, path,
                    "'\(proxy.proxy)' is a node proxy and also in the hops or sidecars; a component has one role in a "
                        + "stack")
            }
            for member in proxy.members where member != StackGraph.client {
                if proxyNames.contains(member) {
                    report(node, path, "'\(member)' is a node proxy itself and cannot be on a node proxy's node")
                } else if !nodes.contains(member) {
                    report(
                        node, path,
                        "'\(member)' is on the node of '\(proxy.proxy)' but not in the stack; add a hop to it or "
                            + "remove it")
                } else if graph.sidecar(of: member) != nil {
                    report(
                        node, path,
                        "'\(member)' carries a sidecar and is on the node of '\(proxy.proxy)'; a component is meshed "
                            + "by a sidecar or by its node proxy, not both")
                }
            }
            let carried = graph.meshHops.filter {
                graph.nodeProxy(of: $0.from) == proxy.proxy || graph.nodeProxy(of: $0.to) == proxy.proxy
            }
            if carried.isEmpty {
                report(
                    node, path,
                    "node proxy '\(proxy.proxy)' carries no request between nodes; put the other end of a hop (or "
                        + "the client and the entry) on another node proxy")
            }
        }
        for hop in graph.meshHops where hop.transport != .plain {
            let index = graph.hops.firstIndex { $0.from == hop.from && $0.to == hop.to }
            report(
                index.map { locations.hops[$0] } ?? locations.entry,
                index.map(locations.hopPath) ?? locations.entryPath,
                "'\(hop.from) -> \(hop.to)' crosses between node proxies, which carry it over mutual TLS; it reaches "
                    + "them plain, so leave its transport out (and tls: false on '\(hop.to)')")
        }
    }
}
