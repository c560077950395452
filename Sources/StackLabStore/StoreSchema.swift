import GRDB

/// The store's tables, one migration per schema version (docs/store.md describes them).
///
/// A migration, once released, never changes: a later change is a new migration (`v3`, …) that
/// GRDB's migrator applies once to every database that lacks it, in order, each in its own transaction.
enum StoreSchema {
    /// The migrator of every version, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3-app-facts", migrate: v3AppFacts)
        migrator.registerMigration("v3-disk-ops", migrate: v3DiskOps)
        migrator.registerMigration("v3-workloads", migrate: v3Workloads)
        migrator.registerMigration("v3-ingestion", migrate: v3Ingestion)
        migrator.registerMigration("v4-cgroup", migrate: v4Cgroup)
        return migrator
    }

    /// Runs, their trials, each trial's component resources, histograms and per-second series.
    static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'aborted')),
                    abort_reason TEXT,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    spec_json TEXT NOT NULL,
                    spec_yaml TEXT,
                    fingerprint_json TEXT NOT NULL,
                    stacklab_version TEXT NOT NULL
                );
                CREATE INDEX runs_by_start ON runs(started_at);

                CREATE TABLE trials (
                    id INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    variant TEXT NOT NULL,
                    repeat_index INTEGER NOT NULL,
                    offered_rate REAL,
                    started_at TEXT NOT NULL,
                    measured_seconds REAL NOT NULL,
                    interrupted INTEGER NOT NULL,
                    requests_completed INTEGER NOT NULL,
                    achieved_rate REAL NOT NULL,
                    errors INTEGER NOT NULL,
                    error_rate REAL NOT NULL,
                    latency_p50 REAL NOT NULL,
                    latency_p90 REAL NOT NULL,
                    latency_p99 REAL NOT NULL,
                    latency_max REAL NOT NULL,
                    service_time_p50 REAL NOT NULL,
                    service_time_p99 REAL NOT NULL,
                    generator_verdict TEXT NOT NULL,
                    load_json TEXT NOT NULL,
                    generator_cpu_user_seconds REAL NOT NULL,
                    generator_cpu_system_seconds REAL NOT NULL,
                    generator_average_rss_bytes INTEGER NOT NULL,
                    generator_peak_rss_bytes INTEGER NOT NULL,
                    generator_memory_gib_seconds REAL NOT NULL,
                    generator_disk_read_bytes INTEGER NOT NULL,
                    generator_disk_write_bytes INTEGER NOT NULL,
                    generator_disk_counters_missing INTEGER NOT NULL,
                    generator_samples INTEGER NOT NULL,
                    generator_wall_seconds REAL NOT NULL,
                    generator_sampler_cpu_seconds REAL NOT NULL,
                    UNIQUE (run_id, position)
                );

                CREATE TABLE component_measurements (
                    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    cpu_user_seconds REAL NOT NULL,
                    cpu_system_seconds REAL NOT NULL,
                    average_rss_bytes INTEGER NOT NULL,
                    peak_rss_bytes INTEGER NOT NULL,
                    memory_gib_seconds REAL NOT NULL,
                    disk_read_bytes INTEGER NOT NULL,
                    disk_write_bytes INTEGER NOT NULL,
                    disk_counters_missing INTEGER NOT NULL,
                    samples INTEGER NOT NULL,
                    wall_seconds REAL NOT NULL,
                    sampler_cpu_seconds REAL NOT NULL,
                    PRIMARY KEY (trial_id, position)
                );

                CREATE TABLE histograms (
                    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('latency', 'service_time')),
                    total_count INTEGER NOT NULL,
                    values_json TEXT NOT NULL,
                    counts_json TEXT NOT NULL,
                    PRIMARY KEY (trial_id, kind)
                );

                CREATE TABLE series (
                    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    second INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    p50 REAL NOT NULL,
                    p99 REAL NOT NULL,
                    errors INTEGER NOT NULL,
                    PRIMARY KEY (trial_id, second)
                );
                """)
    }

    /// The configuration files rendered for components, and the writer of each run, so that a run whose
    /// process died is reported as aborted rather than running forever.
    static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE runs ADD COLUMN writer_pid INTEGER;
                ALTER TABLE runs ADD COLUMN writer_boot_id TEXT;
                ALTER TABLE runs ADD COLUMN writer_start_ticks INTEGER;

                CREATE TABLE component_configs (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    variant TEXT NOT NULL,
                    component TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (run_id, variant, component, file_name),
                    UNIQUE (run_id, position)
                );
                """)
    }

    /// Timed builds of the reference apps (`stacklab install RUNTIME`), and what each run learned about its
    /// apps before their trials: cold starts, artifact size, idle memory, the builds it reported, or why a
    /// variant was not run.
    static func v3AppFacts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE app_builds (
                    id INTEGER PRIMARY KEY,
                    runtime TEXT NOT NULL,
                    clean INTEGER NOT NULL,
                    seconds REAL NOT NULL,
                    built_at TEXT NOT NULL,
                    apps_dir TEXT NOT NULL
                );
                CREATE INDEX app_builds_by_runtime ON app_builds(runtime, clean, built_at);

                CREATE TABLE app_facts (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    variant TEXT NOT NULL,
                    component TEXT NOT NULL,
                    runtime TEXT NOT NULL,
                    not_installed TEXT,
                    cold_start_seconds_json TEXT,
                    artifact_bytes INTEGER,
                    idle_rss_bytes INTEGER,
                    clean_build_json TEXT,
                    incremental_build_json TEXT,
                    notes_json TEXT NOT NULL,
                    PRIMARY KEY (run_id, position)
                );
                """)
    }

    /// A database component's stored bytes and storage operations per trial, and the backup and restore
    /// drills of a run (one row each, the drill itself as JSON beside the columns a query would filter on).
    static func v3DiskOps(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE component_measurements ADD COLUMN stored_bytes INTEGER;
                ALTER TABLE component_measurements ADD COLUMN disk_read_ops INTEGER;
                ALTER TABLE component_measurements ADD COLUMN disk_write_ops INTEGER;
                ALTER TABLE component_measurements ADD COLUMN disk_ops_scope TEXT;
                ALTER TABLE component_measurements ADD COLUMN disk_ops_device TEXT;

                CREATE TABLE recoveries (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    variant TEXT NOT NULL,
                    component TEXT NOT NULL,
                    method TEXT NOT NULL,
                    passed INTEGER NOT NULL,
                    backup_seconds REAL,
                    backup_bytes INTEGER,
                    restore_seconds REAL,
                    drill_json TEXT NOT NULL,
                    PRIMARY KEY (run_id, position)
                );
                """)
    }

    /// The workload each trial ran, by its name in the experiment's `workloads:`; NULL for a single `workload:`
    /// (every trial stored before this migration).
    static func v3Workloads(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE trials ADD COLUMN workload TEXT;")
    }

    /// What a metrics backend ingested over each trial's window (``MetricsIngestion`` as JSON); NULL for other
    /// components and for every measurement stored before this migration.
    static func v3Ingestion(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE component_measurements ADD COLUMN ingestion_json TEXT;")
    }

    /// What each component's own cgroups counted over each trial's window, with its limits (``CgroupUsage`` as
    /// JSON); NULL where StackLab could not make the cgroups and for every measurement stored before this migration.
    static func v4Cgroup(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE component_measurements ADD COLUMN cgroup_json TEXT;")
    }
}
