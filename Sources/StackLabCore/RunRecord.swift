/// One execution of an experiment: its spec as run, where it ran, and every trial that finished.
public struct RunRecord: Sendable, Equatable, Codable {
    public static let schemaVersion = "stacklab.run/1"

    public enum Status: String, Sendable, Equatable, Codable {
        case running
        case completed
        /// Ended early (Ctrl-C, a component that died, a failed trial); the trials that finished are kept.
        case aborted
    }

    public var schema: String
    public var id: String
    public var startedAt: String
    public var finishedAt: String?
    public var status: Status
    /// Why the run was aborted, in a sentence.
    public var abortReason: String?
    public var spec: ExperimentSpec
    /// The experiment file's text as it was read, when the run came from a file or the built-in quickstart.
    public var specSource: String?
    public var fingerprint: EnvironmentFingerprint
    public var trials: [TrialMeasurement]
    /// The configuration files StackLab rendered for the components, per variant.
    public var configs: [ComponentConfig]
    /// Per app component of each variant: cold start, artifact size, build times, idle memory, or why the
    /// variant was not run. Nil in records from before StackLab measured them.
    public var apps: [AppFacts]?
    /// The backup and restore drills of database components that ask for one (`backup:`), after each
    /// variant's last trial; nil in runs recorded before StackLab took them.
    public var recoveries: [RecoveryDrill]?

    public init(id: String, startedAt: String, spec: ExperimentSpec, fingerprint: EnvironmentFingerprint) {
        self.schema = Self.schemaVersion
        self.id = id
        self.startedAt = startedAt
        self.status = .running
        self.spec = spec
        self.fingerprint = fingerprint
        self.trials = []
        self.configs = []
    }
}
