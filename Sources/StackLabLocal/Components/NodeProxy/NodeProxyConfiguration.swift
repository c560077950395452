import Foundation
import StackLabCore

/// What a node proxy's configuration says: like Istio's ztunnel, one Envoy per node that takes its node's
/// outbound TCP connections on one loopback listener per route (a component on this node, or the client, to one on
/// another node) and carries each through an HTTP/2 CONNECT tunnel over mutual TLS to the destination's node proxy
/// (HBONE-like), whose tunnel listener ends the tunnel and connects plain to the destination on loopback.
///
/// As ztunnel does, it speaks for the workloads of its node: a route's tunnel presents the sending component's
/// certificate (its SPIFFE identity) and checks the destination's; the tunnel listener serves each arriving
/// component's certificate (chosen by SNI), lets in only the identities that send to it in the graph, and, with a
/// policy, only those the policy allows (Envoy's network RBAC filter: an L4 policy by identity).
///
/// Outside a graph (a chain `[proxy, app]`), it is a plain TCP proxy from its port to the next component.
public struct NodeProxyConfiguration: Sendable, Equatable {
    /// A component on this node that receives tunnels: its name (the tunnel's authority and SNI), loopback port,
    /// the certificate served for it, and the SPIFFE IDs of what sends to it.
    public struct Arrival: Sendable, Equatable {
        public var name: String
        public var port: Int
        public var certificate: GatewayConfiguration.TLSFiles
        public var peers: [String]

        public init(name: String, port: Int, certificate: GatewayConfiguration.TLSFiles, peers: [String]) {
            self.name = name
            self.port = port
            self.certificate = certificate
            self.peers = peers
        }
    }

    /// A route from a component on this node (or the client) to one on another node: the listener the sender
    /// connects to, the tunnel listener port of the destination's node proxy, the certificate presented for the
    /// sender, and the SPIFFE ID the destination must present.
    public struct Destination: Sendable, Equatable {
        public var name: String
        public var listenPort: Int
        /// The node proxy of the destination's node.
        public var peer: String
        public var peerPort: Int
        /// The sending component (or `client`), whose certificate the tunnel presents.
        public var source: String
        public var sourceCertificate: GatewayConfiguration.TLSFiles
        public var identity: String

        public init(
            name: String, listenPort: Int, peer: String, peerPort: Int, source: String,
            sourceCertificate: GatewayConfiguration.TLSFiles, identity: String
        ) {
            self.name = name
            self.listenPort = listenPort
            self.peer = peer
            self.peerPort = peerPort
            self.source = source
            self.sourceCertificate = sourceCertificate
            self.identity = identity
        }
    }

    /// The authority a tunnel names for a destination: its component name and a port, as a CONNECT target.
    public static func authority(of destination: String) -> String { "\(destination):443" }

    public var name: String
    /// The tunnel listener's port, or in a chain the port of the plain TCP proxy.
    public var port: Int
    /// The admin interface, where `/ready` answers 200 once the configuration is loaded.
    public var readyPort: Int
    public var workers: Int
    public var directory: String
    public var arrivals: [Arrival] = []
    public var destinations: [Destination] = []
    /// The run's certificate authority's certificate, which both sides of every tunnel are checked against. Set
    /// in a graph; nil for a chain's plain TCP proxy.
    public var authority: String?
    /// Who may open tunnels to this node's components: Envoy's network RBAC on each arrival's filter chain.
    public var policy: SidecarPolicy?
    /// In a chain: the next component's port, which it forwards TCP to.
    public var passthroughPort: Int?
    public var connectTimeoutSeconds = GatewayConfiguration.Timeouts().connectSeconds

    public init(name: String, port: Int, readyPort: Int, workers: Int, directory: String) {
        self.name = name
        self.port = port
        self.readyPort = readyPort
        self.workers = workers
        self.directory = directory
    }

    /// The configuration file's path.
    public var configPath: String { directory + "/envoy.yaml" }

    /// Envoy's arguments: the configuration, the workers, hot restart off (several Envoys share the machine).
    public var arguments: [String] {
        ["-c", configPath, "--concurrency", String(workers), "--disable-hot-restart", "--log-level", "warn"]
    }
}
