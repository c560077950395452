/// One backup and restore of a database component, taken after its variant's last trial: how long each
/// took, how big the backup was, and whether the restored copy holds the same data.
public struct RecoveryDrill: Sendable, Equatable, Codable {
    /// One table (PostgreSQL, MariaDB) or keyspace (Redis) compared between the source and its restored copy.
    public struct DataCheck: Sendable, Equatable, Codable {
        /// `public.accounts`, or `keyspace` for Redis.
        public var name: String
        public var sourceRows: Int
        public var restoredRows: Int?
        /// A digest of the data (md5 over the ordered row texts; Redis's `DEBUG DIGEST`).
        public var sourceChecksum: String
        public var restoredChecksum: String?

        public init(
            name: String, sourceRows: Int, restoredRows: Int?, sourceChecksum: String, restoredChecksum: String?
        ) {
            self.name = name
            self.sourceRows = sourceRows
            self.restoredRows = restoredRows
            self.sourceChecksum = sourceChecksum
            self.restoredChecksum = restoredChecksum
        }

        /// Same row count and same checksum.
        public var matches: Bool { sourceRows == restoredRows && sourceChecksum == restoredChecksum }
    }

    public var variant: String
    public var component: String
    /// The component's kind: `postgres`, `redis`, `mariadb`.
    public var kind: String
    /// How it was backed up and restored: `pg_dump`, `basebackup`, `rdb`, `mariadb-dump`.
    public var method: String
    /// Seconds from starting the backup to having it complete on disk.
    public var backupSeconds: Double?
    /// Bytes of the backup on disk (allocated).
    public var backupBytes: Int?
    /// Seconds from starting the restore until the copy answers queries with all its data.
    public var restoreSeconds: Double?
    /// Every table compared, in name order; empty when the drill failed before comparing.
    public var checks: [DataCheck]
    /// Why the drill did not complete, in a sentence; nil when it ran to the comparison.
    public var failure: String?
    /// For a messaging broker's crash drill (method `kill -9`): what it kept; nil for a backup drill.
    public var durability: MessageDurability?

    public init(
        variant: String, component: String, kind: String, method: String, backupSeconds: Double? = nil,
        backupBytes: Int? = nil, restoreSeconds: Double? = nil, checks: [DataCheck] = [], failure: String? = nil
    ) {
        self.variant = variant
        self.component = component
        self.kind = kind
        self.method = method
        self.backupSeconds = backupSeconds
        self.backupBytes = backupBytes
        self.restoreSeconds = restoreSeconds
        self.checks = checks
        self.failure = failure
    }

    /// The drill completed, every table's rows and checksum match (the backup restores the data) and a
    /// broker lost no confirmed message.
    public var passed: Bool { failure == nil && checks.allSatisfy(\.matches) && durability?.passed != false }

    /// Rows (or keys) in the source over all tables.
    public var sourceRows: Int { checks.reduce(0) { $0 + $1.sourceRows } }

    /// Rows (or keys) in the restored copy over all tables; nil when some table was not read back.
    public var restoredRows: Int? {
        checks.reduce(Optional(0)) { total, check in total.flatMap { total in check.restoredRows.map { total + $0 } } }
    }

    /// The tables whose rows or checksum differ, by name.
    public var mismatchedTables: [String] { checks.filter { !$0.matches }.map(\.name) }
}
