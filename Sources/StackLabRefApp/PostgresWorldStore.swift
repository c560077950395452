import Logging
import PostgresNIO

/// The `World` table in a PostgreSQL server, through PostgresNIO's pooled `PostgresClient`.
///
/// The client must be running (`client.run()`, or the client added to the same `ServiceGroup`) before
/// any method is called. Reads use a prepared statement, one execution per row. `/updates` reads its
/// rows one by one, then writes them all with one `UPDATE … FROM unnest(…)` statement, which is atomic
/// on its own; the ids are written in ascending order so two concurrent updates lock rows in the same
/// order and do not deadlock.
public struct PostgresWorldStore: WorldStore {
    public let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func prepare() async throws {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)",
            logger: logger
        )
        let low = Int32(World.ids.lowerBound)
        let high = Int32(World.ids.upperBound)
        let rows = try await client.query(
            "SELECT count(*) FROM World WHERE id BETWEEN \(low) AND \(high)",
            logger: logger
        )
        var present: Int64 = 0
        for try await count in rows.decode(Int64.self) { present = count }
        guard Int(present) < World.tableSize else { return }
        let top = Int32(World.randomNumbers.upperBound)
        try await client.query(
            """
            INSERT INTO World (id, randomNumber)
            SELECT x, least(floor(random() * \(top) + 1), \(top))::integer FROM generate_series(\(low), \(high)) AS x
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
    }

    public func randomWorld() async throws -> World {
        try await client.withConnection { connection in
            try await fetchWorld(id: World.randomID(), on: connection)
        }
    }

    public func randomWorlds(count: Int) async throws -> [World] {
        try await client.withConnection { connection in
            var worlds: [World] = []
            worlds.reserveCapacity(count)
            for _ in 0..<count {
                worlds.append(try await fetchWorld(id: World.randomID(), on: connection))
            }
            return worlds
        }
    }

    public func updateWorlds(count: Int) async throws -> [World] {
        let ids = World.distinctRandomIDs(count: count)
        return try await client.withConnection { connection in
            var worlds: [World] = []
            worlds.reserveCapacity(count)
            for id in ids {
                var world = try await fetchWorld(id: id, on: connection)
                world.randomNumber = World.randomNumber(replacing: world.randomNumber)
                worlds.append(world)
            }
            let ordered = worlds.sorted { $0.id < $1.id }
            _ = try await connection.execute(
                UpdateWorlds(ids: ordered.map { Int32($0.id) }, randomNumbers: ordered.map { Int32($0.randomNumber) }),
                logger: logger
            )
            return worlds
        }
    }

    public func world(id: Int) async throws -> World? {
        try await client.withConnection { connection in
            try await fetchWorldIfPresent(id: id, on: connection)
        }
    }

    public func worldCount() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM World", logger: logger)
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return Int(count)
    }

    private func fetchWorld(id: Int, on connection: PostgresConnection) async throws -> World {
        guard let world = try await fetchWorldIfPresent(id: id, on: connection) else {
            throw RefAppError("World row \(id) is missing from PostgreSQL")
        }
        return world
    }

    private func fetchWorldIfPresent(id: Int, on connection: PostgresConnection) async throws -> World? {
        var found: World?
        for try await (rowID, randomNumber) in try await connection.execute(SelectWorld(id: Int32(id)), logger: logger)
        {
            found = World(id: Int(rowID), randomNumber: Int(randomNumber))
        }
        return found
    }
}

/// `SELECT` of one row by id, prepared once per connection.
private struct SelectWorld: PostgresPreparedStatement {
    static let sql = "SELECT id, randomNumber FROM World WHERE id = $1"
    typealias Row = (Int32, Int32)

    var id: Int32

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// One `UPDATE` for many rows: the new values travel as two arrays, joined back by `unnest`.
private struct UpdateWorlds: PostgresPreparedStatement {
    static let sql = """
        UPDATE World SET randomNumber = fresh.randomNumber
        FROM unnest($1::integer[], $2::integer[]) AS fresh(id, randomNumber)
        WHERE World.id = fresh.id
        """
    typealias Row = ()

    var ids: [Int32]
    var randomNumbers: [Int32]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        bindings.append(randomNumbers)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
