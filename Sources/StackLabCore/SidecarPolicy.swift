/// Who may call the component a sidecar carries: Envoy's RBAC filter on the server-side sidecar, as an Istio
/// `AuthorizationPolicy` with action ALLOW is rendered. A request that no rule allows is answered 403.
///
/// `rules` sets how many rules the filter evaluates, so the cost of evaluation can be plotted against policy
/// size: `rules - allow.count` generated rules that never match come first, then the allow rules.
public struct SidecarPolicy: Sendable, Equatable, Codable {
    /// One allow rule: a request matches when its peer, path and method each match (an empty list matches any).
    public struct Rule: Sendable, Equatable, Codable {
        /// Peer identities (`MeshIdentity`): component names, or `client` for the client's sidecar.
        public var from: [String]
        /// Paths: exact (`/json`), or a prefix when they end in `*` (`/api/*`); the query is not part of the path.
        public var paths: [String]
        /// HTTP methods, upper case.
        public var methods: [String]

        public init(from: [String] = [], paths: [String] = [], methods: [String] = []) {
            self.from = from
            self.paths = paths
            self.methods = methods
        }
    }

    /// In the file's order.
    public var allow: [Rule]
    /// Rules evaluated in all, at least `allow.count`.
    public var rules: Int

    /// The sizes a policy may have: Istio plots 1 to 1,000; ten times that still renders in a moment.
    public static let ruleCounts = 1...10_000

    public init(allow: [Rule], rules: Int? = nil) {
        self.allow = allow
        self.rules = max(rules ?? allow.count, allow.count)
    }

    /// The generated rules that never match, evaluated before the allow rules.
    public var generatedRules: Int { rules - allow.count }
}
