/// How one family of SQL servers spells what the workloads need: placeholders, a row generator for
/// loading, a few functions, table statistics and sizes.
///
/// The workloads write their statements once, in PostgreSQL's syntax with `$1, $2…` placeholders and the
/// portable subset of DDL (`int`, `char(n)`, `timestamp`, `ALTER TABLE … ADD PRIMARY KEY`); a dialect
/// rewrites what differs. Loading is done by the server itself, `INSERT … SELECT` from a generated series
/// (PostgreSQL's `generate_series`, MariaDB's `seq_1_to_N` sequence tables), as `pgbench -i -I dtGvp`
/// does, so no rows cross the wire.
public struct SQLDialect: Sendable, Equatable {
    public enum Family: String, Sendable, Equatable {
        case postgres
        /// MariaDB (the `mariadb` component); MySQL proper lacks the `seq_1_to_N` tables used for loading.
        case mysql
    }

    public var family: Family

    public static let postgres = SQLDialect(family: .postgres)
    public static let mysql = SQLDialect(family: .mysql)

    /// `sql` with its `$1, $2…` placeholders as the server wants them (`?` for MySQL, in order).
    public func statement(_ sql: String) -> String {
        guard family == .mysql else { return sql }
        var result = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            index = sql.index(after: index)
            guard character == "$", index < sql.endIndex, sql[index].isNumber else {
                result.append(character)
                continue
            }
            while index < sql.endIndex && sql[index].isNumber { index = sql.index(after: index) }
            result.append("?")
        }
        return result
    }

    /// A `FROM` item that yields one column `n` holding `1…count`.
    public func series(_ count: Int) -> String {
        switch family {
        case .postgres: "generate_series(1, \(count)) AS s(n)"
        case .mysql: "(SELECT seq AS n FROM seq_1_to_\(count)) AS s"
        }
    }

    /// An expression turning an integer expression into text.
    public func text(_ expression: String) -> String {
        switch family {
        case .postgres: "CAST(\(expression) AS text)"
        case .mysql: "CAST(\(expression) AS CHAR)"
        }
    }

    /// A uniformly random integer expression in `1…upper`.
    public func randomInteger(upTo upper: Int) -> String {
        switch family {
        case .postgres: "(1 + floor(random() * \(upper)))::int"
        case .mysql: "(1 + floor(rand() * \(upper)))"
        }
    }

    /// The statement that refreshes a table's planner statistics after loading.
    public func analyze(_ table: String) -> String {
        switch family {
        case .postgres: "VACUUM ANALYZE \(table)"
        case .mysql: "ANALYZE TABLE \(table)"
        }
    }

    /// A query returning one row and one column: the bytes a table and its indexes take on disk.
    public func tableBytes(_ table: String) -> String {
        switch family {
        case .postgres: "SELECT pg_total_relation_size('\(table)')"
        case .mysql:
            "SELECT data_length + index_length FROM information_schema.tables "
                + "WHERE table_schema = DATABASE() AND table_name = '\(table)'"
        }
    }

    /// A query returning one row whose first column is non-zero when `table` exists in the current schema.
    public func tableExists(_ table: String) -> String {
        switch family {
        case .postgres:
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '\(table)'"
        case .mysql:
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '\(table)'"
        }
    }

    /// `INSERT INTO table (columns) VALUES (placeholders)` that skips a row whose key already exists.
    public func insertIgnoringDuplicates(into table: String, columns: [String], key: String) -> String {
        let placeholders = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let list = columns.joined(separator: ", ")
        switch family {
        case .postgres: return "INSERT INTO \(table) (\(list)) VALUES (\(placeholders)) ON CONFLICT (\(key)) DO NOTHING"
        case .mysql: return statement("INSERT IGNORE INTO \(table) (\(list)) VALUES (\(placeholders))")
        }
    }

    /// What follows `CREATE TABLE name (columns)`.
    public var tableOptions: String {
        switch family {
        case .postgres: ""
        case .mysql: " ENGINE=InnoDB"
        }
    }

    /// Whether `BEGIN` and `COMMIT` can be prepared like any statement (PostgreSQL, as `pgbench -M prepared`
    /// does); MySQL's binary protocol does not take them.
    public var preparesTransactionControl: Bool { family == .postgres }

    /// The statements that open and close a transaction.
    public var begin: String { "BEGIN" }
    public var commit: String { "COMMIT" }
    public var rollback: String { "ROLLBACK" }
}
