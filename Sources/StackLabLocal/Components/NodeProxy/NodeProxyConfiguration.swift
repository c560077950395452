import Foundation
import StackLabCore

/// What a node proxy's configuration says: like Istio's ztunnel, one Envoy per node that takes its node's
/// outbound TCP connections on one loopback listener per destination and carries each through an HTTP/2 CONNECT
/// tunnel over mutual TLS to the destination's node proxy (HBONE-like), whose tunnel listener ends the tunnel and
/// connects plain to the destination on loopback.
///
/// Outside a graph (a chain `[proxy, app]`), it is a plain TCP proxy from its port to the next component.
public struct NodeProxyConfiguration: Sendable, Equatable {
    /// A component on this node that receives tunnels: its name (the tunnel's authority) and loopback port.
    public struct Arrival: Sendable, Equatable {
        public var name: String
        public var port: Int

        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
    }

    /// A component on another node: the listener this node's components connect to for it, and the tunnel
    /// listener port of its node proxy.
    public struct Destination: Sendable, Equatable {
        public var name: String
        public var listenPort: Int
        /// The node proxy of the destination's node.
        public var peer: String
        public var peerPort: Int

        public init(name: String, listenPort: Int, peer: String, peerPort: Int) {
            self.name = name
            self.listenPort = listenPort
            self.peer = peer
            self.peerPort = peerPort
        }
    }

    /// The run's certificate authority and this node proxy's certificate (for serving and presenting).
    public struct MutualTLS: Sendable, Equatable {
        public var authority: String
        public var certificate: GatewayConfiguration.TLSFiles

        public init(authority: String, certificate: GatewayConfiguration.TLSFiles) {
            self.authority = authority
            self.certificate = certificate
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
    /// Set in a graph; nil for a chain's plain TCP proxy.
    public var mutualTLS: MutualTLS?
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
