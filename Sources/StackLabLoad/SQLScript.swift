import StackLabCore

/// The statements of one SQL transaction and how to run it with random parameters.
///
/// - `tpcb` is pgbench's built-in "TPC-B (sort of)" script: `aid` in 1…100,000·scale, `tid` in 1…10·scale,
///   `bid` in 1…scale, `delta` in −5000…5000, all uniform, then `BEGIN`, update the account, read its
///   balance, update the teller and the branch, insert into the history, `END`.
/// - `point-select` is pgbench `-S`: one `SELECT abalance` by a uniform `aid`, with no explicit transaction.
/// - `read-write` follows sysbench `oltp_read_write` with its default counts on one table `sbtest1`: 10
///   point selects, a simple range, a sum range, an order range and a distinct range of 100 ids, an index
///   update (`k = k + 1`), a non-index update (`c`), a delete and the insert of the same id, in
///   `BEGIN`/`COMMIT`. Ids are uniform (sysbench's default is its "special" distribution). The insert skips
///   an id that another transaction re-inserted first, where sysbench would report a duplicate key.
///
/// Every statement but `BEGIN`/`COMMIT` (and those too where the dialect allows, as `pgbench -M prepared`
/// does) is prepared once per connection.
struct SQLScript: Sendable {
    let workload: Workload.SQL
    let dialect: SQLDialect
    /// Statement texts in the dialect's syntax, in the order they are prepared.
    let statements: [String]

    static let rangeSize: Int64 = 100
    static let pointSelects = 10

    // Indices into `statements`.
    private enum TPCB: Int { case begin, updateAccount, selectBalance, updateTeller, updateBranch, insertHistory, end }
    private enum ReadWrite: Int {
        case begin, point, range, sum, order, distinct, indexUpdate, nonIndexUpdate, delete, insert, commit
    }

    init(workload: Workload.SQL, dialect: SQLDialect) {
        self.workload = workload
        self.dialect = dialect
        let texts: [String]
        switch workload.transaction {
        case .tpcb:
            texts = [
                dialect.begin,
                "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
                "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
                "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2",
                "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2",
                "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)",
                dialect.commit,
            ]
        case .pointSelect:
            texts = ["SELECT abalance FROM pgbench_accounts WHERE aid = $1"]
        case .readWrite:
            texts = [
                dialect.begin,
                "SELECT c FROM sbtest1 WHERE id = $1",
                "SELECT c FROM sbtest1 WHERE id BETWEEN $1 AND $2",
                "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN $1 AND $2",
                "SELECT c FROM sbtest1 WHERE id BETWEEN $1 AND $2 ORDER BY c",
                "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN $1 AND $2 ORDER BY c",
                "UPDATE sbtest1 SET k = k + 1 WHERE id = $1",
                "UPDATE sbtest1 SET c = $1 WHERE id = $2",
                "DELETE FROM sbtest1 WHERE id = $1",
                dialect.insertIgnoringDuplicates(into: "sbtest1", columns: ["id", "k", "c", "pad"], key: "id"),
                dialect.commit,
            ]
        }
        self.statements = texts.map(dialect.statement)
    }

    /// Whether the statement at `index` is sent prepared; transaction control may not be, depending on the dialect.
    func isPrepared(_ index: Int) -> Bool {
        dialect.preparesTransactionControl
            || (statements[index] != dialect.begin && statements[index] != dialect.commit)
    }

    /// Whether a failure leaves a transaction open that must be rolled back.
    var isTransaction: Bool { workload.transaction != .pointSelect }

    /// Runs one transaction on `session`; `prepared[i]` is statement `i` prepared (nil when sent as a query).
    func run<Session: SQLSession>(
        on session: Session, prepared: [Session.Statement?], random: inout SplitMix64
    ) async throws {
        switch workload.transaction {
        case .tpcb:
            let scale = Int64(workload.scale)
            let aid = SQLValue.int(Self.uniform(1, 100_000 * scale, &random))
            let bid = SQLValue.int(Self.uniform(1, scale, &random))
            let tid = SQLValue.int(Self.uniform(1, 10 * scale, &random))
            let delta = SQLValue.int(Self.uniform(-5000, 5000, &random))
            try await step(TPCB.begin.rawValue, [], session, prepared)
            try await step(TPCB.updateAccount.rawValue, [delta, aid], session, prepared)
            try await step(TPCB.selectBalance.rawValue, [aid], session, prepared)
            try await step(TPCB.updateTeller.rawValue, [delta, tid], session, prepared)
            try await step(TPCB.updateBranch.rawValue, [delta, bid], session, prepared)
            try await step(TPCB.insertHistory.rawValue, [tid, bid, aid, delta], session, prepared)
            try await step(TPCB.end.rawValue, [], session, prepared)
        case .pointSelect:
            let aid = Self.uniform(1, 100_000 * Int64(workload.scale), &random)
            try await step(0, [.int(aid)], session, prepared)
        case .readWrite:
            let rows = Int64(workload.rows)
            try await step(ReadWrite.begin.rawValue, [], session, prepared)
            for _ in 0..<Self.pointSelects {
                try await step(ReadWrite.point.rawValue, [.int(Self.uniform(1, rows, &random))], session, prepared)
            }
            for statement in [ReadWrite.range, .sum, .order, .distinct] {
                let low = Self.uniform(1, max(1, rows - Self.rangeSize + 1), &random)
                try await step(statement.rawValue, [.int(low), .int(low + Self.rangeSize - 1)], session, prepared)
            }
            try await step(ReadWrite.indexUpdate.rawValue, [.int(Self.uniform(1, rows, &random))], session, prepared)
            let text = SQLValue.text(Self.sysbenchText(groups: 10, &random))
            try await step(
                ReadWrite.nonIndexUpdate.rawValue, [text, .int(Self.uniform(1, rows, &random))], session, prepared)
            let id = Self.uniform(1, rows, &random)
            try await step(ReadWrite.delete.rawValue, [.int(id)], session, prepared)
            try await step(
                ReadWrite.insert.rawValue,
                [
                    .int(id), .int(Self.uniform(1, rows, &random)), .text(Self.sysbenchText(groups: 10, &random)),
                    .text(Self.sysbenchText(groups: 5, &random)),
                ], session, prepared)
            try await step(ReadWrite.commit.rawValue, [], session, prepared)
        }
    }

    private func step<Session: SQLSession>(
        _ index: Int, _ parameters: [SQLValue], _ session: Session, _ prepared: [Session.Statement?]
    ) async throws {
        if let statement = prepared[index] {
            _ = try await session.execute(statement, parameters)
        } else {
            _ = try await session.query(statements[index])
        }
    }

    /// A uniform integer in `low…high`.
    static func uniform(_ low: Int64, _ high: Int64, _ random: inout SplitMix64) -> Int64 {
        low + Int64(random.next() % UInt64(high - low + 1))
    }

    /// sysbench's `c`/`pad` text: groups of 11 random digits joined by `-`.
    static func sysbenchText(groups: Int, _ random: inout SplitMix64) -> String {
        var text = ""
        text.reserveCapacity(groups * 12)
        for group in 0..<groups {
            if group > 0 { text.append("-") }
            for _ in 0..<11 { text.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
        }
        return text
    }
}
