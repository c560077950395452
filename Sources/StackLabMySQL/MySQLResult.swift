/// What a query or an executed statement returned: its rows, or what it changed.
///
/// A statement without a result set (`INSERT`, `UPDATE`) has no columns and no rows; a `SELECT` has zero
/// `affectedRows` and `lastInsertID`.
public struct MySQLResult: Sendable, Equatable {
    /// The column names (their aliases where the query gives one), in order.
    public var columns: [String]
    /// The rows, each with one value per column.
    public var rows: [[MySQLValue]]
    /// Rows inserted, deleted or changed (an `UPDATE` that sets a row to what it held does not count it).
    public var affectedRows: UInt64
    /// The `AUTO_INCREMENT` value the statement generated, 0 if none.
    public var lastInsertID: UInt64

    public init(columns: [String] = [], rows: [[MySQLValue]] = [], affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
    }
}

/// A statement prepared on one connection with `MySQLConnection.prepare(_:)`; valid on that connection only.
public struct MySQLStatement: Sendable, Hashable {
    /// The server's id for it.
    public var id: UInt32
    /// How many `?` placeholders it has: `execute` takes exactly this many parameters.
    public var parameterCount: Int
    /// The names of the columns it returns, none for a statement without a result set.
    public var columns: [String]
    /// The SQL it was prepared from, for messages.
    public var sql: String
}
