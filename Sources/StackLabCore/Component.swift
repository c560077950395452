/// One deployable piece of a stack as an experiment declares it: its kind, settings and resources.
public struct Component: Sendable, Equatable, Codable {
    /// The name variants use to put it in a stack, unique in its experiment.
    public var name: String
    public var kind: ComponentKind
    /// Set for kind `app` only, and always set for it.
    public var runtime: AppRuntime?
    /// Whether the component serves TLS to the one before it in the stack.
    public var tls: Bool
    /// Free settings for its recipe (`db: sqlite`), every value kept as the text the user wrote.
    public var settings: [String: String]
    /// CPU and memory to reserve and cap; `nil` leaves the component unconstrained.
    public var resources: Resources?
    /// Who may call the component a sidecar carries (kind `sidecar` only); nil lets every verified peer in.
    public var policy: SidecarPolicy?

    public init(
        name: String, kind: ComponentKind, runtime: AppRuntime? = nil, tls: Bool = false,
        settings: [String: String] = [:], resources: Resources? = nil, policy: SidecarPolicy? = nil
    ) {
        self.name = name
        self.kind = kind
        self.runtime = runtime
        self.tls = tls
        self.settings = settings
        self.resources = resources
        self.policy = policy
    }
}
