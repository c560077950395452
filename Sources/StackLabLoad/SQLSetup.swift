import Foundation
import NIOCore
import StackLabCore

/// What happens on a SQL target before the measured run: a login that fails with a clear message, and the
/// tables the transaction needs, loaded when they are absent or of another size.
///
/// The pgbench tables are made as `pgbench -i` makes them with server-side generation (`-I dtGvp`): the
/// four tables without keys, branches, tellers and accounts filled from a generated series (the accounts'
/// `filler` blank, the others' null), `VACUUM ANALYZE`, then the primary keys. `sbtest1` is sysbench's
/// table: `id` primary key, `k` indexed and random in 1…rows, `c` and `pad` text.
enum SQLSetup {
    static let accountsPerScale = 100_000
    static let tellersPerScale = 10

    /// Opens one session, or explains why it cannot be opened.
    ///
    /// - Throws: `UserError` naming the server and its answer (refused connection, unknown database,
    ///   wrong password).
    static func connect<Session: SQLSession>(
        _: Session.Type, to endpoint: SQLEndpoint, on loop: any EventLoop
    ) async throws -> Session {
        do {
            return try await Session.connect(to: endpoint, on: loop)
        } catch {
            throw UserError(
                "cannot log in to \(Session.dialect.family.rawValue) at \(endpoint.host):\(endpoint.port) as "
                    + "'\(endpoint.user)'\(endpoint.database.map { " to database '\($0)'" } ?? ""): "
                    + "\(Session.describe(error)); check the URL's user, password, database and port")
        }
    }

    /// The table whose size says whether the data is loaded, and the rows it should have.
    static func marker(_ workload: Workload.SQL) -> (table: String, key: String, rows: Int) {
        switch workload.transaction {
        case .tpcb, .pointSelect: ("pgbench_accounts", "aid", accountsPerScale * workload.scale)
        case .readWrite: ("sbtest1", "id", workload.rows)
        }
    }

    /// Whether the tables are there at the workload's size: the marker table exists and its highest key is
    /// the row count (the key index answers that at once, where `count(*)` would read the table).
    static func isLoaded<Session: SQLSession>(_ workload: Workload.SQL, on session: Session) async throws -> Bool {
        let (table, key, rows) = marker(workload)
        let dialect = Session.dialect
        guard try await session.query(dialect.tableExists(table)).rows.first?.first?.integer ?? 0 > 0 else {
            return false
        }
        let highest = try await session.query("SELECT max(\(key)) FROM \(table)").rows.first?.first?.integer
        guard highest == Int64(rows) else { return false }
        if workload.transaction != .readWrite {
            let branches = try await session.query("SELECT count(*) FROM pgbench_branches").rows.first?.first?.integer
            return branches == Int64(workload.scale)
        }
        return true
    }

    /// Drops and re-creates the workload's tables, fills them and times it.
    static func load<Session: SQLSession>(
        _ workload: Workload.SQL, on session: Session
    ) async throws -> LoadResult.DataLoad {
        let started = ContinuousClock.now
        let dialect = Session.dialect
        let tables: [String]
        switch workload.transaction {
        case .tpcb, .pointSelect:
            tables = ["pgbench_accounts", "pgbench_branches", "pgbench_history", "pgbench_tellers"]
            for statement in pgbenchStatements(scale: workload.scale, dialect: dialect) {
                _ = try await session.query(statement)
            }
        case .readWrite:
            tables = ["sbtest1"]
            for statement in sbtestStatements(rows: workload.rows, dialect: dialect) {
                _ = try await session.query(statement)
            }
        }
        var bytes = 0
        for table in tables {
            bytes += Int(try await session.query(dialect.tableBytes(table)).rows.first?.first?.integer ?? 0)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return LoadResult.DataLoad(records: marker(workload).rows, bytes: bytes, seconds: seconds)
    }

    /// `pgbench -i -I dtGvp -s scale`, statement by statement.
    static func pgbenchStatements(scale: Int, dialect: SQLDialect) -> [String] {
        let options = dialect.tableOptions
        var statements = ["pgbench_accounts", "pgbench_branches", "pgbench_history", "pgbench_tellers"].map {
            "DROP TABLE IF EXISTS \($0)"
        }
        statements += [
            "CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))"
                + options,
            "CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84))" + options,
            "CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84))" + options,
            "CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88))" + options,
            "INSERT INTO pgbench_branches (bid, bbalance) SELECT n, 0 FROM \(dialect.series(scale))",
            "INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT n, (n - 1) / \(tellersPerScale) + 1, 0 FROM "
                + dialect.series(tellersPerScale * scale),
            "INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT n, (n - 1) / \(accountsPerScale) + 1, "
                + "0, '' FROM \(dialect.series(accountsPerScale * scale))",
        ]
        if dialect.family == .mysql {
            // MySQL's integer division is `DIV`; `/` gives a decimal that the int column would round.
            statements = statements.map { $0.replacingOccurrences(of: ") / ", with: ") DIV ") }
        }
        statements += ["pgbench_branches", "pgbench_tellers", "pgbench_accounts", "pgbench_history"].map(
            dialect.analyze)
        statements += [
            "ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)",
            "ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid)",
            "ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)",
        ]
        return statements
    }

    /// sysbench's `prepare` for one table of `rows` rows, the rows made by the server.
    static func sbtestStatements(rows: Int, dialect: SQLDialect) -> [String] {
        let text = dialect.text
        return [
            "DROP TABLE IF EXISTS sbtest1",
            "CREATE TABLE sbtest1 (id int NOT NULL, k int NOT NULL DEFAULT 0, c char(120) NOT NULL DEFAULT '', "
                + "pad char(60) NOT NULL DEFAULT '', PRIMARY KEY (id))" + dialect.tableOptions,
            "INSERT INTO sbtest1 (id, k, c, pad) SELECT n, \(dialect.randomInteger(upTo: rows)), "
                + "concat(md5(\(text("n"))), '-', md5(\(text("n + 1"))), '-', md5(\(text("n + 2")))), "
                + "md5(\(text("n * 7"))) FROM \(dialect.series(rows))",
            "CREATE INDEX k_1 ON sbtest1 (k)",
            dialect.analyze("sbtest1"),
        ]
    }
}
