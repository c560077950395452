/// What a run learned about one app component of one variant before its trials: how fast it starts, how big it
/// is on disk, how long it takes to build and how much memory it holds at rest.
///
/// Each figure is optional: nil means not measured, and ``notInstalled`` says why a whole variant was skipped
/// (its runtime is not on this machine). Memory under load comes from the trials' own measurements.
public struct AppFacts: Sendable, Equatable, Codable {
    public var variant: String
    public var component: String
    public var runtime: AppRuntime
    /// Why the variant did not run (`no dotnet SDK on PATH …`); nil when it ran.
    public var notInstalled: String?
    /// Each start's time from spawn to the first correct `GET /json`, seconds, in start order.
    public var coldStartSeconds: [Double]?
    /// The binary, or the app plus its runtime's closure, on disk (`AppArtifact`).
    public var artifactBytes: Int64?
    /// Memory of the app's process tree after it started, before any load (PSS for a tree of several
    /// processes, RSS for one; see `ResourceUsage.averageRSSBytes`).
    public var idleRSSBytes: Int64?
    /// The latest recorded clean build (`stacklab install RUNTIME`); nil when none was recorded.
    public var cleanBuild: AppBuildRecord?
    /// The latest recorded incremental build; nil when none was recorded.
    public var incrementalBuild: AppBuildRecord?
    /// Why a figure is missing, one sentence each (`cold start: …`).
    public var notes: [String]

    public init(variant: String, component: String, runtime: AppRuntime, notInstalled: String? = nil) {
        self.variant = variant
        self.component = component
        self.runtime = runtime
        self.notInstalled = notInstalled
        self.notes = []
    }

    /// The median of the cold starts, seconds; nil when none was measured.
    public var coldStartMedian: Double? { Statistics.median(coldStartSeconds ?? []) }
}

/// One timed build of a reference app, as `stacklab install RUNTIME` recorded it.
public struct AppBuildRecord: Sendable, Equatable, Codable {
    public var runtime: AppRuntime
    /// From an empty output folder (true) or again with nothing changed (false).
    public var clean: Bool
    /// Wall-clock seconds of `apps/<runtime>/build.sh`.
    public var seconds: Double
    /// When it finished, ISO 8601 UTC.
    public var builtAt: String
    /// The `apps` folder it built in.
    public var appsDirectory: String

    public init(runtime: AppRuntime, clean: Bool, seconds: Double, builtAt: String, appsDirectory: String) {
        self.runtime = runtime
        self.clean = clean
        self.seconds = seconds
        self.builtAt = builtAt
        self.appsDirectory = appsDirectory
    }
}
