import StackLabCore

/// What makes an Envoy a mesh sidecar, on top of the gateway configuration every Envoy has: its settings, the
/// identities it checks its peers for, the HTTP version it speaks to the next sidecar, and its policy.
public struct SidecarOptions: Sendable, Equatable {
    public var settings: SidecarSettings
    /// SPIFFE IDs of the peers a mutual TLS client certificate must name one of; empty: any the authority signed.
    public var peerIdentities: [String] = []
    /// The SPIFFE ID the upstream's certificate must carry when the sidecar opens TLS upstream; nil: the name
    /// `localhost`, as any gateway checks.
    public var upstreamIdentity: String?
    /// Whether it opens HTTP/2 upstream: the client's sidecar with `upstream_protocol: http2`.
    public var upstreamHTTP2 = false
    /// Envoy's RBAC filter in front of the component, when the component has a policy.
    public var policy: SidecarPolicy?
    /// Whether the component it carries speaks something other than HTTP (a database): its inbound listener is
    /// then Envoy's TCP proxy, as Istio carries TCP, and its policy Envoy's network RBAC filter (by identity).
    public var tcp = false
    /// The component's outbound hops it carries (Istio's outbound listener), in the order of the hops.
    public var outbound: [Outbound] = []

    /// One outbound hop: a loopback TCP listener the component connects to plain, and the target's listener the
    /// sidecar opens the hop's transport to, checking the target's identity when it is encrypted.
    public struct Outbound: Sendable, Equatable {
        /// The target component (a name for Envoy's listener and cluster).
        public var target: String
        public var listenPort: Int
        public var upstreamPort: Int
        /// Set when the hop is TLS or mutual TLS: the run's authority, and the certificate presented for mTLS.
        public var tls: GatewayConfiguration.UpstreamTLS?
        /// The SPIFFE ID the target's listener must present.
        public var identity: String
    }

    /// The options of sidecar `component`, in `graph` when its stack is a graph: the peers of its mutual TLS
    /// listener and the identity of what it sends to.
    ///
    /// - Throws: `UserError` naming the component and the setting, for a bad setting.
    public init(_ component: Component, in graph: StackGraph?) throws {
        let (settings, problems) = SidecarSettings.read(component.settings)
        if let problem = problems.first {
            throw UserError("component '\(component.name)': settings.\(problem.key): \(problem.message)")
        }
        self.settings = settings
        policy = component.policy
        guard let graph else { return }
        let name = component.name
        if graph.inboundTransport(of: name) == .mutualTLS {
            peerIdentities = graph.mutualTLSPeers(of: name).map(MeshIdentity.spiffeID)
        }
        if let upstream = graph.upstreams(of: name).first, upstream.transport.isEncrypted {
            upstreamIdentity = MeshIdentity.spiffeID(graph.identity(of: upstream.to))
        }
        upstreamHTTP2 = graph.entry.sidecar == name && settings.upstreamProtocol == .http2
    }
}
