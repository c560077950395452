/// Where runs are kept: the runner writes through it as a run goes, and commands read runs back through it.
///
/// SQLite (`SQLiteResultsStore` in StackLabStore) is the default; a PostgreSQL store is the other conformer
/// to come. Every write is one transaction, so a reader never sees half a trial. A run whose writer ended
/// without finishing it (a crash, a kill) is reported as aborted, never as running forever.
public protocol ResultsStore: Sendable {
    /// Where the store is, for messages: a file path or a database URL without its password.
    var location: String { get }

    /// Records a new run as `record` says (a fresh record is `running`), with any trials and configs it holds.
    ///
    /// The calling process is recorded as the run's writer; a run still `running` after its writer is gone is
    /// later marked aborted.
    /// - Throws: When a run with the same id is already stored.
    func beginRun(_ record: RunRecord) async throws

    /// Adds a finished trial to the run, after the ones already stored, in one transaction.
    func appendTrial(_ trial: TrialMeasurement, toRun id: String) async throws

    /// Keeps the configuration files rendered for a variant's components with the run.
    func addConfigs(_ configs: [ComponentConfig], toRun id: String) async throws

    /// Keeps what was learned about a variant's apps before its trials (``AppFacts``) with the run.
    func addAppFacts(_ facts: [AppFacts], toRun id: String) async throws

    /// Records a timed build of a reference app (`stacklab install RUNTIME`), for later runs to report.
    func recordAppBuild(_ build: AppBuildRecord) async throws

    /// The latest recorded clean or incremental build of `runtime`'s app; nil when none was recorded.
    func latestAppBuild(_ runtime: AppRuntime, clean: Bool) async throws -> AppBuildRecord?
    /// Adds backup and restore drills to a run, after the variant's trials.
    func addRecoveries(_ drills: [RecoveryDrill], toRun id: String) async throws

    /// Ends the run as `completed` or `aborted` (with the reason, in a sentence).
    ///
    /// Succeeds even when the calling task is cancelled, so that an interrupted run is stored as aborted.
    func finishRun(id: String, status: RunRecord.Status, abortReason: String?, finishedAt: String) async throws

    /// The run with exactly this id, with all its trials and configs; nil when there is none.
    func run(id: String) async throws -> RunRecord?

    /// Stored runs, newest first; at most `limit` when given.
    func runs(limit: Int?) async throws -> [RunListing]

    /// Removes the run and everything stored with it; false when there was no such run.
    func deleteRun(id: String) async throws -> Bool
}

/// One line of a store's list of runs: enough to pick a run without reading its trials.
public struct RunListing: Sendable, Equatable {
    public var id: String
    /// The experiment's name.
    public var name: String
    public var status: RunRecord.Status
    public var abortReason: String?
    /// ISO 8601, UTC.
    public var startedAt: String
    public var finishedAt: String?
    /// Distinct variants with at least one stored trial.
    public var variants: Int
    public var trials: Int

    public init(
        id: String, name: String, status: RunRecord.Status, abortReason: String?, startedAt: String,
        finishedAt: String?, variants: Int, trials: Int
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.abortReason = abortReason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.variants = variants
        self.trials = trials
    }
}

extension ResultsStore {
    /// The id of the run that `reference` names: an id, a prefix of exactly one id, or `latest`.
    ///
    /// - Throws: `UserError` when no run or more than one run matches, saying which.
    public func resolveRun(_ reference: String) async throws -> String {
        let listings = try await runs(limit: nil)
        if reference == "latest" {
            guard let newest = listings.first else { throw UserError("no runs stored yet in \(location)") }
            return newest.id
        }
        if listings.contains(where: { $0.id == reference }) { return reference }
        let matches = listings.filter { $0.id.hasPrefix(reference) }
        switch matches.count {
        case 1:
            return matches[0].id
        case 0:
            throw UserError(
                "no run \(MessageText.quoted(reference)) in \(location); 'stacklab runs' lists the stored runs")
        default:
            let shown = matches.prefix(3).map(\.id).joined(separator: ", ")
            let more = matches.count > 3 ? ", …" : ""
            throw UserError(
                "\(MessageText.quoted(reference)) matches \(matches.count) runs (\(shown)\(more)); give more of the id")
        }
    }
}
