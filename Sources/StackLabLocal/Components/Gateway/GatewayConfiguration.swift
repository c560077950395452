import Foundation
import StackLabCore

/// Everything a gateway's configuration says, the same for every gateway so they compare fairly: a reverse
/// proxy on a loopback port to the next component, keep-alive connections upstream, the same timeouts, workers
/// matched to the CPU the gateway is given, access logging off unless asked for.
public struct GatewayConfiguration: Sendable, Equatable {
    /// Timeouts every gateway uses, so none wins by giving up sooner.
    public struct Timeouts: Sendable, Equatable {
        /// To open a connection upstream.
        public var connectSeconds = 5
        /// For a request to arrive, and for the upstream's response (headers) to begin.
        public var requestSeconds = 30
        /// An idle keep-alive connection is closed after this, on both sides.
        public var idleSeconds = 60

        public init() {}
    }

    /// Certificate and key files, PEM.
    public struct TLSFiles: Sendable, Equatable {
        public var certificate: String
        public var key: String
        /// Certificate then key in one file, as HAProxy reads them.
        public var bundle: String
    }

    /// TLS to the next component: verify its certificate against the run's authority (for the name `localhost`,
    /// which the authority's server certificates carry), and for mutual TLS present a client certificate.
    public struct UpstreamTLS: Sendable, Equatable {
        /// The authority certificate the upstream's certificate must chain to.
        public var authority: String
        /// The certificate presented to the upstream; nil for TLS without client authentication.
        public var client: TLSFiles?

        public init(authority: String, client: TLSFiles? = nil) {
            self.authority = authority
            self.client = client
        }
    }

    /// The name an upstream certificate is checked for, and sent as SNI.
    public static let upstreamServerName = "localhost"

    /// Names the component; used in configs where a name is needed.
    public var name: String
    /// The loopback port clients connect to.
    public var port: Int
    /// The next component's loopback port.
    public var upstreamPort: Int
    /// A second loopback port, plain HTTP, where the gateway itself answers `GET /ready` with 200 once its
    /// configuration is loaded: readiness that does not depend on the upstream or on TLS.
    public var readyPort: Int
    /// Worker processes or threads.
    public var workers: Int
    /// Where the gateway keeps its files (configs, certificate, temp files, pid file).
    public var directory: String
    /// Access log file, or nil for none (the default).
    public var accessLog: String?
    /// Set when the gateway terminates TLS on `port`.
    public var tls: TLSFiles?
    /// With `tls`, the authority certificate a client's certificate must chain to: the gateway then terminates
    /// mutual TLS, refusing a client without one.
    public var clientAuthority: String?
    /// Set when the gateway opens its upstream connections over TLS.
    public var upstreamTLS: UpstreamTLS?
    /// Set for a mesh sidecar (`kind: sidecar`): what it adds to Envoy's configuration.
    public var sidecar: SidecarOptions?
    public var timeouts = Timeouts()
    /// Whether StackLab runs as root: nginx's workers then stay root too, rather than dropping to a user that
    /// cannot reach the run directory (under /root) for its temporary files.
    public var runsAsRoot = false
    /// Idle keep-alive connections each gateway may keep open to the upstream.
    public var upstreamIdleConnections = 128

    /// The path the ready port answers.
    public static let readyPath = "/ready"

    public init(
        name: String, port: Int, upstreamPort: Int, readyPort: Int, workers: Int, directory: String,
        accessLog: String? = nil, tls: TLSFiles? = nil
    ) {
        self.name = name
        self.port = port
        self.upstreamPort = upstreamPort
        self.readyPort = readyPort
        self.workers = workers
        self.directory = directory
        self.accessLog = accessLog
        self.tls = tls
    }

    /// Workers for a component: its CPU allocation rounded up (limit, else request), else the number of CPUs it
    /// is pinned to, else the cores of this machine.
    public static func workers(for component: Component, cpus: CPUSet?) -> Int {
        if let cpu = component.resources?.limits.cpu ?? component.resources?.requests.cpu {
            return max(1, Int(cpu.rounded(.up)))
        }
        if let cpus { return max(1, cpus.count) }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
