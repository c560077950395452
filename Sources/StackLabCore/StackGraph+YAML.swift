import Yams

/// Where each part of a variant's graph is in the file, so that a rule broken by a hop is reported at its line.
struct StackGraphLocations {
    var variant: Node
    var path: String
    var entry: Node?
    /// One per hop of the graph, in its order.
    var hops: [Node] = []
    /// The key node of each sidecar entry, by the component that carries it.
    var sidecars: [String: Node] = [:]
    /// The key node of each node proxy entry, by node proxy.
    var nodeProxies: [String: Node] = [:]

    var entryPath: String { SpecReader.path(path, "entry") }

    func hopPath(_ index: Int) -> String { SpecReader.path(SpecReader.path(path, "hops"), index: index) }

    func sidecarPath(_ component: String) -> String { SpecReader.path(SpecReader.path(path, "sidecars"), component) }

    func nodeProxyPath(_ proxy: String) -> String { SpecReader.path(SpecReader.path(path, "node_proxies"), proxy) }
}

extension SpecReader {
    /// The keys of a variant in the graph form.
    static let graphKeys = ["entry", "hops", "sidecars", "node_proxies"]

    /// A variant in the graph form: `entry`, `hops` and `sidecars`. A transport left out is TLS into a component
    /// with `tls: true` (into its sidecar's when it carries one), else plain, as in the chain form.
    ///
    /// - Parameters:
    ///   - defined: the component names, nil when the components could not be read (then names go unchecked).
    ///   - components: the components, nil when they could not be read (then transports default to plain).
    mutating func graph(
        _ node: Node, _ keyPath: String, defined: DefinedNames?, components: [Component]?
    ) -> (StackGraph, StackGraphLocations)? {
        guard
            let fields = fields(
                node, keyPath, allowed: Self.graphKeys,
                expected:
                    "a list of components like [nginx, app] or a mapping with entry, hops, sidecars and node_proxies")
        else { return nil }
        var locations = StackGraphLocations(variant: node, path: keyPath)
        var complete = true
        var entry: (name: String, transport: StackGraph.Transport?, sidecar: String?)?
        if let entryNode = required(
            fields, "entry", example: "name the component the client talks to, e.g. entry: gateway")
        {
            locations.entry = entryNode
            entry = graphEntry(entryNode, fields.path("entry"), defined: defined)
        }
        complete = complete && entry != nil

        var hops: [(hop: StackGraph.Hop, given: Bool)] = []
        var listed: Set<[String]> = []
        if let hopsNode = fields["hops"], let items = list(hopsNode, fields.path("hops"), example: "[gateway -> app]") {
            for (index, item) in items.enumerated() {
                let path = SpecReader.path(fields.path("hops"), index: index)
                guard let (hop, given) = graphHop(item, path, defined: defined) else {
                    complete = false
                    continue
                }
                guard listed.insert([hop.from, hop.to]).inserted else {
                    report(item, path, "hop '\(hop.from) -> \(hop.to)' is listed twice; keep one")
                    complete = false
                    continue
                }
                hops.append((hop, given))
                locations.hops.append(item)
            }
        } else if fields["hops"] != nil {
            complete = false
        }

        var sidecars: [StackGraph.Sidecar] = []
        if let sidecarsNode = fields["sidecars"] {
            let path = fields.path("sidecars")
            if let entries = self.fields(
                sidecarsNode, path, allowed: nil,
                expected: "a mapping of components to their sidecars, e.g. { app: app-proxy }")
            {
                for component in entries.keys {
                    let keyNode = entries.keyNode(component) ?? sidecarsNode
                    let entryPath = entries.path(component)
                    guard checkDefined(component, keyNode, entryPath, defined: defined),
                        let sidecar = self.name(entries[component]!, entryPath),
                        checkDefined(sidecar, entries[component]!, entryPath, defined: defined)
                    else {
                        complete = false
                        continue
                    }
                    sidecars.append(StackGraph.Sidecar(component: component, sidecar: sidecar))
                    locations.sidecars[component] = keyNode
                }
            } else {
                complete = false
            }
        }
        var nodeProxies: [StackGraph.NodeProxy] = []
        if let proxiesNode = fields["node_proxies"] {
            guard let read = self.nodeProxies(proxiesNode, fields.path("node_proxies"), defined: defined) else {
                return nil
            }
            nodeProxies = read.proxies
            locations.nodeProxies = read.keys
        }
        guard complete, let entry else { return nil }

        // A transport left out follows the `tls:` of what accepts the connection: the target, or its sidecar.
        // A reference app with tls: true is reported as such, not again for each hop into it.
        let servesTLS = Set((components ?? []).filter { $0.tls && $0.kind.terminates(.tls) }.map(\.name))
        func implied(_ target: String) -> StackGraph.Transport {
            servesTLS.contains(sidecars.first { $0.component == target }?.sidecar ?? target) ? .tls : .plain
        }
        // A kind: sidecar beside an app that sends carries the app's hops out too, as Istio's injected proxy does.
        let kinds = Dictionary((components ?? []).map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        for index in sidecars.indices {
            let carried = sidecars[index]
            let outbound =
                kinds[carried.sidecar] == .sidecar && kinds[carried.component]?.sendsThroughSidecar == true
                && hops.contains { $0.hop.from == carried.component }
            sidecars[index].outbound = outbound ? true : nil
        }
        let graph = StackGraph(
            entry: StackGraph.Entry(
                component: entry.name, transport: entry.transport ?? implied(entry.name), sidecar: entry.sidecar),
            hops: hops.map { hop, given in
                given ? hop : StackGraph.Hop(from: hop.from, to: hop.to, transport: implied(hop.to))
            },
            sidecars: sidecars, nodeProxies: nodeProxies)
        return (graph, locations)
    }

    /// `entry: gateway` or `entry: { to: gateway, transport: tls }`, with the client's own sidecar as
    /// `sidecar: client-proxy` (the client dials it plain, it opens the transport to the entry).
    private mutating func graphEntry(
        _ node: Node, _ keyPath: String, defined: DefinedNames?
    ) -> (name: String, transport: StackGraph.Transport?, sidecar: String?)? {
        guard case .mapping = node else {
            guard let name = name(node, keyPath), checkDefined(name, node, keyPath, defined: defined) else {
                return nil
            }
            return (name, nil, nil)
        }
        guard
            let fields = fields(
                node, keyPath, allowed: ["to", "transport", "sidecar"],
                expected: "{ to: gateway, transport: tls } or { to: app, transport: mtls, sidecar: client-proxy }"),
            let toNode = required(fields, "to", example: "name the component the client talks to, e.g. to: gateway"),
            let name = name(toNode, fields.path("to")),
            checkDefined(name, toNode, fields.path("to"), defined: defined)
        else { return nil }
        var sidecar: String?
        if let sidecarNode = fields["sidecar"] {
            guard let text = self.name(sidecarNode, fields.path("sidecar")),
                checkDefined(text, sidecarNode, fields.path("sidecar"), defined: defined)
            else { return nil }
            sidecar = text
        }
        guard let transportNode = fields["transport"] else { return (name, nil, sidecar) }
        guard let transport = transport(transportNode, fields.path("transport")) else { return nil }
        return (name, transport, sidecar)
    }

    /// `- gateway -> app` (transport implied) or `- gateway -> app: mtls`; `given` says whether a transport is.
    private mutating func graphHop(
        _ node: Node, _ keyPath: String, defined: DefinedNames?
    ) -> (hop: StackGraph.Hop, given: Bool)? {
        let expected = "expected a hop like 'gateway -> app' or 'gateway -> app: mtls'"
        switch node {
        case .scalar where !Self.isNull(node):
            guard let (from, to) = arrow(node, keyPath, defined: defined) else { return nil }
            return (StackGraph.Hop(from: from, to: to), false)
        case .mapping(let mapping) where mapping.count == 1:
            let (key, value) = mapping.first!
            guard let (from, to) = arrow(key, keyPath, defined: defined),
                let transport = transport(value, keyPath)
            else { return nil }
            return (StackGraph.Hop(from: from, to: to, transport: transport), true)
        default:
            report(node, keyPath, "\(expected), found \(Self.found(node))")
            return nil
        }
    }

    /// `from -> to`, both defined component names.
    private mutating func arrow(_ node: Node, _ keyPath: String, defined: DefinedNames?) -> (String, String)? {
        guard let text = scalarText(node) else {
            report(node, keyPath, "expected a hop like 'gateway -> app', found \(Self.found(node))")
            return nil
        }
        let parts = text.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            report(
                node, keyPath,
                "expected one hop like 'gateway -> app' (a sender, ->, a receiver), found \(MessageText.quoted(text))")
            return nil
        }
        guard checkName(parts[0], node, keyPath), checkName(parts[1], node, keyPath) else { return nil }
        let fromDefined = checkDefined(parts[0], node, keyPath, defined: defined)
        let toDefined = checkDefined(parts[1], node, keyPath, defined: defined)
        return fromDefined && toDefined ? (parts[0], parts[1]) : nil
    }

    /// `plain`, `tls` or `mtls`.
    private mutating func transport(_ node: Node, _ keyPath: String) -> StackGraph.Transport? {
        guard let text = text(node, keyPath) else { return nil }
        guard let transport = StackGraph.Transport(rawValue: text.lowercased()) else {
            let names = StackGraph.Transport.allCases.map(\.rawValue)
            let hint = NameSuggestion.nearest(to: text, among: names).map { "did you mean '\($0)'? " } ?? ""
            report(
                node, keyPath,
                "unknown transport \(MessageText.quoted(text)); \(hint)expected one of \(names.joined(separator: ", "))"
            )
            return nil
        }
        return transport
    }

    /// Whether `name` is a defined component (always, when `defined` is nil), after reporting it when not.
    mutating func checkDefined(_ name: String, _ node: Node, _ keyPath: String, defined: DefinedNames?) -> Bool {
        guard let defined, !defined.set.contains(name) else { return true }
        let hint =
            NameSuggestion.nearest(to: name, among: defined.list).map { "did you mean '\($0)'?" }
            ?? "define it under components"
        report(node, keyPath, "component \(MessageText.quoted(name)) is not defined; \(hint)")
        return false
    }
}
