/// A variant's stack as a graph: the components a request can reach, the hops between them with a transport
/// each, the sidecars some of them carry, and the entry the client talks to.
///
/// `variants: { name: [a, b, c] }` is the chain a → b → c (``init(chain:entryTransport:)``); the mapping form
/// (`entry`, `hops`, `sidecars`, docs/experiment-spec.md) gives any graph without a cycle. A value read from a
/// file has passed every rule of the format: names are defined, every node is reachable from the entry, each
/// transport can be terminated by what receives it and originated by what sends it.
public struct StackGraph: Sendable, Equatable, Codable {
    /// How the bytes of one hop travel.
    public enum Transport: String, Sendable, Equatable, Codable, CaseIterable {
        /// Plain TCP.
        case plain
        /// TLS: the receiver serves a certificate signed by the run's certificate authority, the sender verifies it.
        case tls
        /// Mutual TLS: as TLS, and the sender presents a client certificate the receiver verifies against the run's
        /// certificate authority, refusing a connection without one.
        case mutualTLS = "mtls"

        /// Whether the bytes are encrypted (TLS or mutual TLS).
        public var isEncrypted: Bool { self != .plain }
    }

    /// One hop: `from` sends requests to `to` over `transport`.
    public struct Hop: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public var transport: Transport

        public init(from: String, to: String, transport: Transport = .plain) {
            self.from = from
            self.to = to
            self.transport = transport
        }
    }

    /// The component the client (the load engine) talks to, and how.
    public struct Entry: Sendable, Equatable, Codable {
        public var component: String
        public var transport: Transport
        /// The client's own sidecar, which carries its outgoing traffic: the client dials it plain, and it opens
        /// `transport` to the entry (mutual TLS, which the load engine alone cannot). Nil: the client dials the
        /// entry itself.
        public var sidecar: String?

        public init(component: String, transport: Transport = .plain, sidecar: String? = nil) {
            self.component = component
            self.transport = transport
            self.sidecar = sidecar
        }
    }

    /// A component that carries a sidecar: traffic to `component` enters through `sidecar`, which terminates the
    /// transport of the hops into `component` and forwards to it over plain loopback.
    public struct Sidecar: Sendable, Equatable, Codable {
        public var component: String
        public var sidecar: String
        /// Whether the sidecar also carries the component's outbound hops (Istio's outbound listener): the
        /// component then connects plain to one listener of its sidecar per hop, and the sidecar opens the hop's
        /// transport to the target's listener. Set by the reader for a `kind: sidecar` beside an app with hops out
        /// (the app opens no TLS itself); nil (false) otherwise, so a graph stored before it reads as it did.
        public var outbound: Bool?

        public init(component: String, sidecar: String, outbound: Bool = false) {
            self.component = component
            self.sidecar = sidecar
            self.outbound = outbound ? true : nil
        }
    }

    public var entry: Entry
    /// In the file's order.
    public var hops: [Hop]
    /// In the file's order.
    public var sidecars: [Sidecar]
    /// The node proxies (`node_proxies`, StackGraph+NodeProxies.swift) in the file's order; nil when there are
    /// none, so a graph stored before them reads and compares as it did.
    public var nodeProxies: [NodeProxy]?

    public init(entry: Entry, hops: [Hop] = [], sidecars: [Sidecar] = [], nodeProxies: [NodeProxy] = []) {
        self.entry = entry
        self.hops = hops
        self.sidecars = sidecars
        self.nodeProxies = nodeProxies.isEmpty ? nil : nodeProxies
    }

    /// The components requests are addressed to (the entry and every end of a hop), sidecars not included, in the
    /// order they first appear.
    public var nodes: [String] {
        var names = [entry.component]
        var seen: Set<String> = [entry.component]
        for hop in hops {
            for name in [hop.from, hop.to] where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// Every component the stack runs: its nodes, then the sidecars, then the node proxies.
    public var components: [String] {
        var names = nodes
        var seen = Set(names)
        for carried in sidecars where seen.insert(carried.sidecar).inserted { names.append(carried.sidecar) }
        for proxy in proxies where seen.insert(proxy.proxy).inserted { names.append(proxy.proxy) }
        if let client = entry.sidecar, seen.insert(client).inserted { names.append(client) }
        return names
    }

    /// The hops that start at `name`, in the file's order.
    public func hops(from name: String) -> [Hop] {
        hops.filter { $0.from == name }
    }

    /// The sidecar `name` carries, if any.
    public func sidecar(of name: String) -> String? {
        sidecars.first { $0.component == name }?.sidecar
    }

    /// The component a sidecar forwards to, when `name` is a sidecar.
    public func carrier(of sidecar: String) -> String? {
        sidecars.first { $0.sidecar == sidecar }?.component
    }

    /// The sidecar that carries `name`'s outbound hops, if any (``Sidecar/outbound``).
    public func outboundSidecar(of name: String) -> String? {
        sidecars.first { $0.component == name && $0.outbound == true }?.sidecar
    }

    /// The hops an outbound sidecar opens for the component it carries, one per hop out of the component in the
    /// file's order: to the target's listener (its sidecar, else itself) with the hop's transport. Empty for any
    /// other component.
    public func outboundHops(of sidecar: String) -> [Hop] {
        guard let carried = carrier(of: sidecar), outboundSidecar(of: carried) == sidecar else { return [] }
        return hops(from: carried).map { Hop(from: sidecar, to: listener(for: $0.to), transport: $0.transport) }
    }

    /// The component that accepts connections meant for `name`: its sidecar if it carries one, else itself.
    public func listener(for name: String) -> String {
        sidecar(of: name) ?? name
    }

    /// The component the client connects to: its own sidecar, else the client's node proxy when the entry is on
    /// another node's, else the entry or the entry's sidecar.
    public var entryListener: String {
        entry.sidecar ?? meshProxy(from: Self.client, to: entry.component) ?? listener(for: entry.component)
    }

    /// Where `name` connects, one hop per connection target, as a runner configures it: each hop out of `name`
    /// with its target replaced by the target's sidecar when it carries one; for a sidecar, the one plain hop to
    /// the component it carries, then an outbound sidecar's ``outboundHops(of:)``. A component whose sidecar
    /// carries its outbound hops sends each plain to that sidecar. A hop between two nodes' proxies goes plain to
    /// the sender's node proxy; a node proxy's upstreams are ``nodeProxyUpstreams(of:)``.
    public func upstreams(of name: String) -> [Hop] {
        if name == entry.sidecar {
            return [Hop(from: name, to: listener(for: entry.component), transport: entry.transport)]
        }
        if let carried = carrier(of: name) {
            return [Hop(from: name, to: carried, transport: .plain)] + outboundHops(of: name)
        }
        if isNodeProxy(name) { return nodeProxyUpstreams(of: name) }
        let outbound = outboundSidecar(of: name)
        return hops(from: name).map {
            if let proxy = meshProxy(from: name, to: $0.to) { return Hop(from: name, to: proxy, transport: .plain) }
            if let outbound { return Hop(from: name, to: outbound, transport: .plain) }
            return Hop(from: name, to: listener(for: $0.to), transport: $0.transport)
        }
    }

    /// The transport `name` accepts connections with: that of the hops into it (the entry's for the entry), or
    /// plain when it is a sidecar's carried component (the sidecar terminates the transport) or receives none.
    ///
    /// For a sidecar, the transport of the hops into the component it carries; for the client's sidecar, plain.
    public func inboundTransport(of name: String) -> Transport {
        if name == entry.sidecar { return .plain }
        if let carried = carrier(of: name) { return inboundTransport(ofNode: carried) }
        if sidecar(of: name) != nil { return .plain }
        return inboundTransport(ofNode: name)
    }

    private func inboundTransport(ofNode name: String) -> Transport {
        if entry.component == name { return entry.transport }
        return hops.first { $0.to == name }?.transport ?? .plain
    }
}
