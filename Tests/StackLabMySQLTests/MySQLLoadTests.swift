import StackLabCore
import StackLabLoad
import StackLabMySQL
import Testing

extension MySQLConnectionTests {
    /// pgbench's TPC-B through the load engine's MySQL session: tables loaded by the server, transactions
    /// from four connections, and afterwards the sums of accounts, tellers, branches and history agree.
    @Test func tpcbThroughTheLoadEngineKeepsTheInvariant() async throws {
        var options = LoadOptions(
            target: try TargetURL(parsing: "mysql://stacklab:\(server.password)@127.0.0.1:\(server.port)/stacklab"))
        options.sql = Workload.SQL(transaction: .tpcb, scale: 1)
        options.connections = 4
        options.threads = 2
        options.durationNanoseconds = 2_000_000_000
        let run = try await LoadEngine(options: options).run()
        #expect(run.result.dataLoad?.records == 100_000)
        #expect(run.result.requests.completed > 10)
        #expect(run.result.errors.total == 0)

        let connection = try await server.connect()
        let sums = try await connection.query(
            """
            SELECT (SELECT SUM(abalance) FROM pgbench_accounts), (SELECT SUM(tbalance) FROM pgbench_tellers),
            (SELECT SUM(bbalance) FROM pgbench_branches), (SELECT SUM(delta) FROM pgbench_history),
            (SELECT COUNT(*) FROM pgbench_history)
            """)
        let row = try #require(sums.rows.first)
        #expect(row.count == 5)
        #expect(Set(row.prefix(4).map(\.int)).count == 1, "\(row)")
        // Every transaction the engine counted is in the history (and none it did not start).
        #expect((row[4].int ?? 0) >= Int64(run.result.requests.completed))
        await connection.close()
    }
}
