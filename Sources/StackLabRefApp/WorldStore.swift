/// Where the `World` table lives: the reference app's one seam between HTTP and a database.
///
/// Two conformers, one per database the lab compares: `SQLiteWorldStore` (an embedded file) and
/// `PostgresWorldStore` (a server). Every method reads or writes one row per id, never a batch of
/// reads, because TechEmpower's `/queries` test counts one SELECT per row.
public protocol WorldStore: Sendable {
    /// Creates the `World` table when it is missing and fills in any of the ids 1...10000 that are absent,
    /// each with a random number in 1...10000. Safe to call on every start.
    func prepare() async throws

    /// One random row.
    func randomWorld() async throws -> World

    /// `count` random rows, one query each; the same id may come back twice.
    func randomWorlds(count: Int) async throws -> [World]

    /// Reads `count` distinct random rows, gives each a new random number and writes them back,
    /// then returns the rows with their new values.
    func updateWorlds(count: Int) async throws -> [World]

    /// The row with this id, or nil when the table has none.
    func world(id: Int) async throws -> World?

    /// How many rows the table holds.
    func worldCount() async throws -> Int
}
