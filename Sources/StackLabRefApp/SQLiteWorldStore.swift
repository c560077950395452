import GRDB

/// The `World` table in an embedded SQLite file, through a GRDB `DatabasePool` in WAL mode.
///
/// Reads run on the pool's reader connections in parallel; writes go through its single writer, so
/// `/updates` does its reads and writes in one transaction and never waits on another process's lock
/// for long (a 5 s busy timeout covers a second process on the same file).
public struct SQLiteWorldStore: WorldStore {
    /// The database file, as given.
    public let path: String
    private let pool: DatabasePool

    /// Opens (and creates when missing) the database file at `path`.
    ///
    /// - Parameter maximumReaderCount: how many read transactions may run at once.
    public init(path: String, maximumReaderCount: Int = 5) throws {
        var configuration = Configuration()
        configuration.maximumReaderCount = max(1, maximumReaderCount)
        configuration.busyMode = .timeout(5)
        configuration.label = "stacklab-refapp"
        do {
            self.pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw RefAppError(
                "cannot open the SQLite database '\(path)': \(error)", exitCode: RefAppError.runtimeExitCode)
        }
        self.path = path
    }

    public func prepare() async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "CREATE TABLE IF NOT EXISTS World (id INTEGER PRIMARY KEY, randomNumber INTEGER NOT NULL DEFAULT 0)"
            )
            let present = try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM World WHERE id BETWEEN ? AND ?",
                arguments: [World.ids.lowerBound, World.ids.upperBound]
            )
            guard (present ?? 0) < World.tableSize else { return }
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO World (id, randomNumber) VALUES (?, ?)")
            for id in World.ids {
                try insert.execute(arguments: [id, World.randomNumber()])
            }
        }
    }

    public func randomWorld() async throws -> World {
        try await pool.read { db in try Self.fetchWorld(id: World.randomID(), db: db) }
    }

    public func randomWorlds(count: Int) async throws -> [World] {
        try await pool.read { db in
            try (0..<count).map { _ in try Self.fetchWorld(id: World.randomID(), db: db) }
        }
    }

    public func updateWorlds(count: Int) async throws -> [World] {
        let ids = World.distinctRandomIDs(count: count)
        return try await pool.write { db in
            let update = try db.cachedStatement(sql: "UPDATE World SET randomNumber = ? WHERE id = ?")
            return try ids.map { id in
                var world = try Self.fetchWorld(id: id, db: db)
                world.randomNumber = World.randomNumber(replacing: world.randomNumber)
                try update.execute(arguments: [world.randomNumber, world.id])
                return world
            }
        }
    }

    public func world(id: Int) async throws -> World? {
        try await pool.read { db in try Self.fetchWorldIfPresent(id: id, db: db) }
    }

    public func worldCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM World") ?? 0 }
    }

    private static func fetchWorld(id: Int, db: Database) throws -> World {
        guard let world = try fetchWorldIfPresent(id: id, db: db) else {
            throw RefAppError("World row \(id) is missing; delete the database file to seed it again")
        }
        return world
    }

    private static func fetchWorldIfPresent(id: Int, db: Database) throws -> World? {
        let select = try db.cachedStatement(sql: "SELECT randomNumber FROM World WHERE id = ?")
        return try Int.fetchOne(select, arguments: [id]).map { World(id: id, randomNumber: $0) }
    }
}
