import StackLabCore
import StackLabMySQL
import Testing

@testable import StackLabLoad

/// The load engine's MySQL workloads against the suite's MariaDB: the SQL seam with this client behind it.
extension MySQLConnectionTests {
    func loadOptions(
        _ transaction: Workload.SQL.Transaction, password: String? = nil, database: String = "stacklab",
        rows: Int = 100_000, seconds: Int64 = 2, connections: Int = 4, rate: Double? = nil
    ) throws -> LoadOptions {
        let secret = password ?? server.password
        var options = LoadOptions(
            target: try TargetURL(parsing: "mysql://stacklab:\(secret)@127.0.0.1:\(server.port)/\(database)"))
        options.sql = Workload.SQL(transaction: transaction, scale: 1, rows: rows)
        options.connections = connections
        options.threads = 2
        options.durationNanoseconds = seconds * 1_000_000_000
        if let rate { options.arrival = .openLoop(.constant(rate: rate, nanoseconds: seconds * 1_000_000_000)) }
        return options
    }

    /// pgbench's TPC-B through the load engine: tables loaded by the server, transactions from four
    /// connections, and afterwards the sums of accounts, tellers, branches and history agree.
    @Test func tpcbThroughTheLoadEngineKeepsTheInvariant() async throws {
        let run = try await LoadEngine(options: try loadOptions(.tpcb)).run()
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
        // Every transaction the engine counted is in the history.
        #expect((row[4].int ?? 0) >= Int64(run.result.requests.completed))
        await connection.close()
    }

    @Test func pointSelectAndReadWriteRunWithoutErrors() async throws {
        let select = try await LoadEngine(options: try loadOptions(.pointSelect, seconds: 1, rate: 100)).run().result
        #expect(select.requests.completed == 100)
        #expect(select.errors.total == 0, "\(select.errors)")

        let readWrite = try await LoadEngine(options: try loadOptions(.readWrite, rows: 5_000, connections: 2))
            .run().result
        #expect(readWrite.dataLoad?.records == 5_000)
        #expect(readWrite.requests.completed > 0)
        // Two connections deleting and re-inserting random rows may deadlock now and then; nothing else fails.
        #expect(readWrite.errors.total == readWrite.errors.deadlock, "\(readWrite.errors)")
        let connection = try await server.connect()
        #expect(try await connection.query("SELECT COUNT(*) FROM sbtest1").rows == [[.int(5_000)]])
        await connection.close()
    }

    @Test func aWrongPasswordOrUnknownDatabaseIsAClearError() async throws {
        let password = await #expect(throws: UserError.self) {
            try await LoadEngine(options: try loadOptions(.tpcb, password: "wrong")).run()
        }
        #expect(password?.message.contains("Access denied for user 'stacklab'") == true, "\(password!)")
        let database = await #expect(throws: UserError.self) {
            try await LoadEngine(options: try loadOptions(.tpcb, database: "no_such_database")).run()
        }
        #expect(database?.message.contains("no_such_database") == true, "\(database!)")
    }

    @Test func killedConnectionsAreCountedAndTheClientsGoOn() async throws {
        let admin = try await server.connect()
        // The tables may not be there yet (the engine loads them first); count from zero then.
        let count = "SELECT COUNT(*) FROM pgbench_history"
        let before = (try? await admin.query(count))?.rows.first?.first?.int ?? 0
        async let run = LoadEngine(options: try loadOptions(.tpcb, seconds: 3, connections: 2)).run()
        var killed = 0
        for _ in 0..<200 where killed == 0 {
            try await Task.sleep(for: .milliseconds(50))
            let now = (try? await admin.query(count))?.rows.first?.first?.int ?? 0
            guard now > before + 10 else { continue }
            let clients = try await admin.query(
                "SELECT id FROM information_schema.processlist WHERE user = 'stacklab' AND id <> CONNECTION_ID()")
            for id in clients.rows.compactMap({ $0.first?.int }) {
                _ = try? await admin.query("KILL \(id)")
                killed += 1
            }
        }
        await admin.close()
        let result = try await run.result
        #expect(killed > 0)
        #expect(result.errors.read >= 1, "\(result.errors)")
        #expect(result.errors.total == result.errors.read, "\(result.errors)")
        // The clients reconnected and went on.
        #expect(result.series.last.map { $0.requests > 0 } == true, "\(result.series)")
    }

    @Test func serverErrorsAreClassified() {
        #expect(MySQLSession.classify(MySQLError.server(code: 1213, sqlState: "40001", message: "")) == .deadlock)
        #expect(MySQLSession.classify(MySQLError.server(code: 1205, sqlState: "HY000", message: "")) == .lockTimeout)
        #expect(MySQLSession.classify(MySQLError.server(code: 1146, sqlState: "42S02", message: "")) == .statement)
        #expect(MySQLSession.classify(MySQLError.connectionClosed("gone")) == .connectionLost)
        #expect(MySQLSession.classify(MySQLError.authentication("no")) == .connect)
        #expect(
            MySQLSession.describe(MySQLError.server(code: 1146, sqlState: "42S02", message: "Table 't' doesn't exist"))
                == "Table 't' doesn't exist (error 1146, SQLSTATE 42S02)")
    }
}
