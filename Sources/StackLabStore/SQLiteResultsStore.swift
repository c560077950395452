import Foundation
import GRDB
import StackLabCore

/// The results store in one SQLite file (WAL mode), through GRDB: normalised tables, one transaction per write.
///
/// Opening the store creates the file and its directory if needed, applies the schema's migrations
/// (``StoreSchema``) and marks aborted the runs whose writer ended without finishing them. Several
/// `stacklab` processes may use one file at once: SQLite serialises their writes.
public final class SQLiteResultsStore: ResultsStore {
    /// The reason given to a run found `running` with its writer gone.
    public static let abandonedReason = "the stacklab process ended without finishing the run"

    /// The database file.
    public let path: String
    public var location: String { path }
    let database: DatabasePool

    /// The default store: `$STACKLAB_STORE`, else `$STACKLAB_HOME/stacklab.sqlite`, else
    /// `~/.stacklab/stacklab.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let store = environment["STACKLAB_STORE"], !store.isEmpty { return store }
        return StackLabHome.directory(environment: environment).appendingPathComponent("stacklab.sqlite").path
    }

    /// Opens (or creates) the store at `path`, brings its schema up to date and settles abandoned runs.
    ///
    /// - Throws: `UserError` when the file cannot be created or opened, is not a StackLab store, or was
    ///   written by a newer StackLab.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create the store's directory \(directory.path): \(Self.reason(error))")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another stacklab process may be writing a trial; wait for it rather than fail.
        configuration.busyMode = .timeout(10)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            if try database.read({ try !migrator.hasBeenSuperseded($0) }) {
                try migrator.migrate(database)
            } else {
                throw UserError(
                    "the store \(path) was written by a newer StackLab; upgrade stacklab or use another --store")
            }
            try settleAbandonedRuns()
        } catch let error as UserError {
            throw error
        } catch {
            throw UserError("cannot open the store \(path): \(Self.reason(error))")
        }
    }

    // Writes use GRDB's synchronous API on purpose: its async API throws when the task is cancelled, and
    // the write that records an interrupted run as aborted must happen precisely then. Each is a few rows.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try database.write(updates)
    }

    public func beginRun(_ record: RunRecord) async throws {
        let writer = WriterProcess.current
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [record.id]) == true {
                throw UserError("a run with id \(record.id) is already stored in \(path)")
            }
            try db.insert(
                into: "runs",
                [
                    ("id", record.id), ("name", record.spec.name), ("status", record.status.rawValue),
                    ("abort_reason", record.abortReason), ("started_at", record.startedAt),
                    ("finished_at", record.finishedAt), ("spec_json", try Self.json(record.spec)),
                    ("spec_yaml", record.specSource), ("fingerprint_json", try Self.json(record.fingerprint)),
                    ("stacklab_version", record.fingerprint.stacklabVersion), ("writer_pid", Int64(writer.pid)),
                    ("writer_boot_id", writer.bootID), ("writer_start_ticks", writer.startTicks),
                ])
            for trial in record.trials { try Self.insert(trial, run: record.id, in: db) }
            try Self.insert(record.configs, run: record.id, in: db)
            try Self.insert(record.recoveries ?? [], run: record.id, in: db)
        }
    }

    public func appendTrial(_ trial: TrialMeasurement, toRun id: String) async throws {
        try write { db in
            try Self.requireRun(id, in: db, path: path)
            try Self.insert(trial, run: id, in: db)
        }
    }

    public func addConfigs(_ configs: [ComponentConfig], toRun id: String) async throws {
        try write { db in
            try Self.requireRun(id, in: db, path: path)
            try Self.insert(configs, run: id, in: db)
        }
    }

    public func addRecoveries(_ drills: [RecoveryDrill], toRun id: String) async throws {
        try write { db in
            try Self.requireRun(id, in: db, path: path)
            try Self.insert(drills, run: id, in: db)
        }
    }

    public func finishRun(id: String, status: RunRecord.Status, abortReason: String?, finishedAt: String) async throws {
        try write { db in
            try Self.requireRun(id, in: db, path: path)
            try db.execute(
                sql: "UPDATE runs SET status = ?, abort_reason = ?, finished_at = ? WHERE id = ?",
                arguments: [status.rawValue, abortReason, finishedAt, id])
        }
    }

    public func deleteRun(id: String) async throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        do {
            return try await database.read { db in try Self.readRun(id, in: db) }
        } catch let error as StoreCorruption {
            throw UserError("run \(id) in \(path) cannot be read: \(error.description)")
        }
    }

    public func runs(limit: Int?) async throws -> [RunListing] {
        // A long-lived reader (the dashboard) lists often; a writer may have died since the store was opened.
        try settleAbandonedRuns()
        return try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT runs.id, runs.name, runs.status, runs.abort_reason, runs.started_at, runs.finished_at,
                        COUNT(trials.id) AS trial_count, COUNT(DISTINCT trials.variant) AS variant_count
                    FROM runs LEFT JOIN trials ON trials.run_id = runs.id
                    GROUP BY runs.id
                    ORDER BY runs.started_at DESC, runs.id DESC
                    LIMIT ?
                    """, arguments: [limit ?? -1]
            ).map { row in
                RunListing(
                    id: row["id"], name: row["name"], status: try Self.status(row["status"]),
                    abortReason: row["abort_reason"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                    variants: row["variant_count"], trials: row["trial_count"])
            }
        }
    }

    /// Marks aborted every run still `running` whose writer is gone (or unknown, from a schema before v2).
    ///
    /// - Returns: The ids of the runs marked.
    @discardableResult
    public func settleAbandonedRuns() throws -> [String] {
        try write { db in
            let running = try Row.fetchAll(
                db, sql: "SELECT id, writer_pid, writer_boot_id, writer_start_ticks FROM runs WHERE status = 'running'")
            var settled: [String] = []
            for row in running {
                if let pid: Int64 = row["writer_pid"] {
                    let writer = WriterProcess(
                        pid: Int32(truncatingIfNeeded: pid), bootID: row["writer_boot_id"],
                        startTicks: row["writer_start_ticks"])
                    if writer.isAlive { continue }
                }
                let id: String = row["id"]
                // When the writer ended is unknown, so finished_at stays empty.
                try db.execute(
                    sql: "UPDATE runs SET status = 'aborted', abort_reason = ? WHERE id = ?",
                    arguments: [Self.abandonedReason, id])
                settled.append(id)
            }
            return settled
        }
    }

    // MARK: Rows

    static func requireRun(_ id: String, in db: Database, path: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id]) == true else {
            throw UserError("no run \(id) in \(path)")
        }
    }

    private static func insert(_ trial: TrialMeasurement, run id: String, in db: Database) throws {
        let position =
            try Int.fetchOne(
                db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM trials WHERE run_id = ?", arguments: [id])
            ?? 0
        var load = trial.load
        load.series = []
        let trialID = try db.insert(
            into: "trials",
            [
                ("run_id", id), ("position", position), ("variant", trial.variant),
                ("repeat_index", trial.repeatIndex), ("offered_rate", trial.offeredRate),
                ("started_at", trial.load.startedAt), ("measured_seconds", trial.load.measuredSeconds),
                ("interrupted", trial.load.interrupted), ("requests_completed", trial.load.requests.completed),
                ("achieved_rate", trial.load.achievedRate), ("errors", trial.load.errors.total),
                ("error_rate", trial.load.errorRate), ("latency_p50", trial.load.latency.p50),
                ("latency_p90", trial.load.latency.p90), ("latency_p99", trial.load.latency.p99),
                ("latency_max", trial.load.latency.max), ("service_time_p50", trial.load.serviceTime.p50),
                ("service_time_p99", trial.load.serviceTime.p99), ("generator_verdict", trial.load.generator.verdict),
                ("load_json", try json(load)), ("workload", trial.workload),
            ] + trial.generator.columns(prefix: "generator_"))
        for (index, component) in trial.components.enumerated() {
            try db.insert(
                into: "component_measurements",
                [("trial_id", trialID), ("position", index), ("name", component.name), ("kind", component.kind)]
                    + component.usage.columns() + component.storageColumns())
        }
        for (kind, histogram) in [("latency", trial.latencyHistogram), ("service_time", trial.serviceTimeHistogram)] {
            guard let histogram else { continue }
            try db.insert(
                into: "histograms",
                [
                    ("trial_id", trialID), ("kind", kind), ("total_count", Int64(clamping: histogram.totalCount)),
                    ("values_json", try json(histogram.values)), ("counts_json", try json(histogram.counts)),
                ])
        }
        for sample in trial.load.series {
            try db.insert(
                into: "series",
                [
                    ("trial_id", trialID), ("second", sample.second), ("requests", sample.requests),
                    ("p50", sample.p50), ("p99", sample.p99), ("errors", sample.errors),
                ])
        }
    }

    private static func insert(_ configs: [ComponentConfig], run id: String, in db: Database) throws {
        for config in configs {
            let position =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM component_configs WHERE run_id = ?",
                    arguments: [id]) ?? 0
            // The same file written again for the same variant replaces the text it had.
            try db.execute(
                sql: """
                    INSERT INTO component_configs (run_id, position, variant, component, file_name, text)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, variant, component, file_name) DO UPDATE SET text = excluded.text
                    """,
                arguments: [id, position, config.variant, config.component, config.fileName, config.text])
        }
    }

    private static func insert(_ drills: [RecoveryDrill], run id: String, in db: Database) throws {
        for drill in drills {
            let position =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM recoveries WHERE run_id = ?", arguments: [id])
                ?? 0
            try db.insert(
                into: "recoveries",
                [
                    ("run_id", id), ("position", position), ("variant", drill.variant), ("component", drill.component),
                    ("method", drill.method), ("passed", drill.passed), ("backup_seconds", drill.backupSeconds),
                    ("backup_bytes", drill.backupBytes), ("restore_seconds", drill.restoreSeconds),
                    ("drill_json", try json(drill)),
                ])
        }
    }

    private static func readRun(_ id: String, in db: Database) throws -> RunRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
            return nil
        }
        var record = RunRecord(
            id: id, startedAt: row["started_at"], spec: try decode(ExperimentSpec.self, row["spec_json"]),
            fingerprint: try decode(EnvironmentFingerprint.self, row["fingerprint_json"]))
        record.status = try status(row["status"])
        record.abortReason = row["abort_reason"]
        record.finishedAt = row["finished_at"]
        record.specSource = row["spec_yaml"]

        let trialRows = try Row.fetchAll(
            db, sql: "SELECT * FROM trials WHERE run_id = ? ORDER BY position", arguments: [id])
        let components = try Dictionary(
            grouping: Row.fetchAll(
                db,
                sql: """
                    SELECT component_measurements.* FROM component_measurements
                    JOIN trials ON trials.id = component_measurements.trial_id
                    WHERE trials.run_id = ? ORDER BY component_measurements.position
                    """, arguments: [id]), by: { $0["trial_id"] as Int64 })
        let histograms = try Dictionary(
            grouping: Row.fetchAll(
                db,
                sql: """
                    SELECT histograms.* FROM histograms JOIN trials ON trials.id = histograms.trial_id
                    WHERE trials.run_id = ?
                    """, arguments: [id]), by: { $0["trial_id"] as Int64 })
        let series = try Dictionary(
            grouping: Row.fetchAll(
                db,
                sql: """
                    SELECT series.* FROM series JOIN trials ON trials.id = series.trial_id
                    WHERE trials.run_id = ? ORDER BY series.second
                    """, arguments: [id]), by: { $0["trial_id"] as Int64 })

        record.trials = try trialRows.map { row in
            let trialID: Int64 = row["id"]
            var load = try decode(LoadResult.self, row["load_json"])
            load.series = (series[trialID] ?? []).map { sample in
                LoadResult.SecondSample(
                    second: sample["second"], requests: sample["requests"], p50: sample["p50"], p99: sample["p99"],
                    errors: sample["errors"])
            }
            func histogram(_ kind: String) throws -> EncodedHistogram? {
                guard let row = histograms[trialID]?.first(where: { ($0["kind"] as String) == kind }) else {
                    return nil
                }
                let values = try decode([UInt64].self, row["values_json"])
                let counts = try decode([UInt64].self, row["counts_json"])
                guard values.count == counts.count else {
                    throw StoreCorruption(
                        "histogram \(kind) of a trial has \(values.count) values, \(counts.count) counts")
                }
                return EncodedHistogram(values: values, counts: counts)
            }
            return TrialMeasurement(
                variant: row["variant"], repeatIndex: row["repeat_index"], offeredRate: row["offered_rate"], load: load,
                components: try (components[trialID] ?? []).map { try ComponentMeasurement(storageRow: $0) },
                generator: ResourceUsage(row: row, prefix: "generator_"), latencyHistogram: try histogram("latency"),
                serviceTimeHistogram: try histogram("service_time"), workload: row["workload"])
        }
        record.configs = try Row.fetchAll(
            db, sql: "SELECT * FROM component_configs WHERE run_id = ? ORDER BY position", arguments: [id]
        ).map { row in
            ComponentConfig(
                variant: row["variant"], component: row["component"], fileName: row["file_name"], text: row["text"])
        }
        record.apps = try readAppFacts(id, in: db)
        let drills = try String.fetchAll(
            db, sql: "SELECT drill_json FROM recoveries WHERE run_id = ? ORDER BY position", arguments: [id])
        record.recoveries = drills.isEmpty ? nil : try drills.map { try decode(RecoveryDrill.self, $0) }
        return record
    }

    // MARK: Values

    private static func status(_ text: String) throws -> RunRecord.Status {
        guard let status = RunRecord.Status(rawValue: text) else {
            throw StoreCorruption("unknown run status '\(text)'")
        }
        return status
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw StoreCorruption("a stored \(type) cannot be read: \(error.summary)")
        } catch {
            throw StoreCorruption("a stored \(type) cannot be read: \(MessageText.oneLine("\(error)", limit: 200))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error)" }
        // Foundation's file errors open with a generic sentence before the one that says what happened.
        let text = (error as NSError).localizedDescription
        let generic = "The operation could not be completed. "
        return text.hasPrefix(generic) ? String(text.dropFirst(generic.count)) : text
    }
}

/// A row the store cannot turn back into a value: written by hand, or by a StackLab that had a bug.
struct StoreCorruption: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
