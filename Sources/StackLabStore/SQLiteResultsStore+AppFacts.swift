import GRDB
import StackLabCore

extension SQLiteResultsStore {
    public func addAppFacts(_ facts: [AppFacts], toRun id: String) async throws {
        try write { db in
            try Self.requireRun(id, in: db, path: path)
            for fact in facts {
                let position =
                    try Int.fetchOne(
                        db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM app_facts WHERE run_id = ?",
                        arguments: [id]) ?? 0
                try db.insert(
                    into: "app_facts",
                    [
                        ("run_id", id), ("position", position), ("variant", fact.variant),
                        ("component", fact.component), ("runtime", fact.runtime.rawValue),
                        ("not_installed", fact.notInstalled),
                        ("cold_start_seconds_json", try fact.coldStartSeconds.map { try Self.json($0) }),
                        ("artifact_bytes", fact.artifactBytes), ("idle_rss_bytes", fact.idleRSSBytes),
                        ("clean_build_json", try fact.cleanBuild.map { try Self.json($0) }),
                        ("incremental_build_json", try fact.incrementalBuild.map { try Self.json($0) }),
                        ("notes_json", try Self.json(fact.notes)),
                    ])
            }
        }
    }

    public func recordAppBuild(_ build: AppBuildRecord) async throws {
        try write { db in
            try db.insert(
                into: "app_builds",
                [
                    ("runtime", build.runtime.rawValue), ("clean", build.clean), ("seconds", build.seconds),
                    ("built_at", build.builtAt), ("apps_dir", build.appsDirectory),
                ])
        }
    }

    public func latestAppBuild(_ runtime: AppRuntime, clean: Bool) async throws -> AppBuildRecord? {
        try await database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM app_builds WHERE runtime = ? AND clean = ?
                        ORDER BY built_at DESC, id DESC LIMIT 1
                        """, arguments: [runtime.rawValue, clean])
            else { return nil }
            return AppBuildRecord(
                runtime: runtime, clean: clean, seconds: row["seconds"], builtAt: row["built_at"],
                appsDirectory: row["apps_dir"])
        }
    }

    /// The run's app facts in the order they were added; nil when it has none (runs without apps, older runs).
    static func readAppFacts(_ id: String, in db: Database) throws -> [AppFacts]? {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM app_facts WHERE run_id = ? ORDER BY position", arguments: [id])
        guard !rows.isEmpty else { return nil }
        return try rows.map { row in
            let text: String = row["runtime"]
            guard let runtime = AppRuntime(rawValue: text) else {
                throw StoreCorruption("unknown app runtime '\(text)'")
            }
            var fact = AppFacts(
                variant: row["variant"], component: row["component"], runtime: runtime,
                notInstalled: row["not_installed"])
            fact.coldStartSeconds = try (row["cold_start_seconds_json"] as String?).map {
                try decode([Double].self, $0)
            }
            fact.artifactBytes = row["artifact_bytes"]
            fact.idleRSSBytes = row["idle_rss_bytes"]
            fact.cleanBuild = try (row["clean_build_json"] as String?).map { try decode(AppBuildRecord.self, $0) }
            fact.incrementalBuild = try (row["incremental_build_json"] as String?).map {
                try decode(AppBuildRecord.self, $0)
            }
            fact.notes = try decode([String].self, row["notes_json"])
            return fact
        }
    }
}
