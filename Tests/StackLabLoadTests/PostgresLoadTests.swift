import Foundation
import NIOPosix
import StackLabCore
import Testing

@testable import StackLabLoad

/// The engine against the real PostgreSQL that `scripts/test.sh` starts ($STACKLAB_TEST_POSTGRES_URL); each
/// test works in a database of its own.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"] != nil,
        "needs STACKLAB_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL and sets it)"))
struct PostgresLoadTests {
    static let server = try! TargetURL(parsing: ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"]!)
    static let group = MultiThreadedEventLoopGroup.singleton

    /// A fresh database on the test server and its URL.
    func database(_ name: String = #function) async throws -> String {
        let database = "stacklab_" + name.prefix { $0.isLetter }.lowercased()
        let admin = try await connect()
        _ = try await admin.query("DROP DATABASE IF EXISTS \(database)")
        _ = try await admin.query("CREATE DATABASE \(database)")
        await admin.close()
        let endpoint = Self.server.sqlEndpoint!
        return "postgres://\(endpoint.user)@\(endpoint.host):\(endpoint.port)/\(database)"
    }

    func connect(_ url: String? = nil) async throws -> PostgresSession {
        let target = try url.map(TargetURL.init(parsing:)) ?? Self.server
        return try await PostgresSession.connect(to: target.sqlEndpoint!, on: Self.group.next())
    }

    func integer(_ session: PostgresSession, _ sql: String) async throws -> Int64? {
        try await session.query(sql).rows.first?.first?.integer
    }

    func options(
        _ url: String, _ transaction: Workload.SQL.Transaction, scale: Int = 1, rows: Int = 10_000,
        rate: Double? = nil, seconds: Double = 1, connections: Int = 4
    ) throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: url))
        options.sql = Workload.SQL(transaction: transaction, scale: scale, rows: rows)
        options.connections = connections
        options.threads = 1
        options.durationNanoseconds = Int64(seconds * 1e9)
        options.timeoutNanoseconds = 5_000_000_000
        if let rate {
            options.arrival = .openLoop(.constant(rate: rate, nanoseconds: options.durationNanoseconds))
        }
        return options
    }

    @Test func tpcbLoadsScaleOneOnceAndKeepsTheBalancesConsistent() async throws {
        let url = try await database()
        let first = try await LoadEngine(options: try options(url, .tpcb)).run().result
        #expect(first.dataLoad?.records == 100_000)
        #expect((first.dataLoad?.bytes ?? 0) > 100_000 * 84)
        #expect(first.errors.total == 0, "\(first.errors)")
        #expect(first.requests.completed > 0)
        #expect(first.target.method == "TPCB")

        // Loaded once: the second run finds the tables at scale 1 and leaves them.
        let second = try await LoadEngine(options: try options(url, .tpcb, rate: 50)).run().result
        #expect(second.dataLoad == nil)
        #expect(second.arrival.model == "open")
        #expect(second.requests.completed == 50)
        #expect(second.errors.total == 0, "\(second.errors)")

        // TPC-B's consistency condition: every delta went to one account, one teller, one branch and the history.
        let session = try await connect(url)
        #expect(try await integer(session, "SELECT count(*) FROM pgbench_accounts") == 100_000)
        #expect(try await integer(session, "SELECT count(*) FROM pgbench_tellers") == 10)
        #expect(try await integer(session, "SELECT count(*) FROM pgbench_branches") == 1)
        let history = try await integer(session, "SELECT count(*) FROM pgbench_history") ?? 0
        #expect(history >= Int64(first.requests.completed + second.requests.completed))
        let delta = try await integer(session, "SELECT sum(delta)::bigint FROM pgbench_history")
        #expect(delta != nil)
        #expect(try await integer(session, "SELECT sum(abalance)::bigint FROM pgbench_accounts") == delta)
        #expect(try await integer(session, "SELECT sum(tbalance)::bigint FROM pgbench_tellers") == delta)
        #expect(try await integer(session, "SELECT sum(bbalance)::bigint FROM pgbench_branches") == delta)
        await session.close()
    }

    @Test func pointSelectAndReadWriteRunWithoutErrors() async throws {
        let url = try await database()
        let select = try await LoadEngine(options: try options(url, .pointSelect, rate: 200)).run().result
        #expect(select.requests.completed == 200)
        #expect(select.errors.total == 0, "\(select.errors)")
        #expect(select.target.method == "POINT-SELECT")

        let readWrite = try await LoadEngine(options: try options(url, .readWrite, rows: 5_000, connections: 2))
            .run().result
        #expect(readWrite.dataLoad?.records == 5_000)
        #expect(readWrite.requests.completed > 0)
        // Two connections updating random rows may deadlock now and then, as sysbench's do; nothing else fails.
        #expect(readWrite.errors.total == readWrite.errors.deadlock, "\(readWrite.errors)")
        let session = try await connect(url)
        // Each transaction deletes a row and inserts it again: the table keeps its size.
        #expect(try await integer(session, "SELECT count(*) FROM sbtest1") == 5_000)
        await session.close()
    }

    @Test func anUnknownDatabaseOrUserIsAClearError() async throws {
        let endpoint = Self.server.sqlEndpoint!
        let base = "postgres://\(endpoint.user)@\(endpoint.host):\(endpoint.port)"
        let database = await #expect(throws: UserError.self) {
            try await LoadEngine(options: try options("\(base)/no_such_database", .tpcb)).run()
        }
        #expect(database?.message.contains("database \"no_such_database\" does not exist") == true, "\(database!)")
        let user = await #expect(throws: UserError.self) {
            try await LoadEngine(
                options: try options(
                    "postgres://nobody@\(endpoint.host):\(endpoint.port)/postgres", .tpcb)
            ).run()
        }
        #expect(user?.message.contains("role \"nobody\" does not exist") == true, "\(user!)")
    }

    @Test func tablesThatAreNotLoadedAreAClearError() async throws {
        let url = try await database()
        var options = try options(url, .pointSelect)
        options.loadsRecords = false
        let error = await #expect(throws: UserError.self) { try await LoadEngine(options: options).run() }
        #expect(error?.message.contains("pgbench_accounts") == true, "\(error!)")
        #expect(error?.message.contains("leave out --no-load") == true, "\(error!)")
    }

    @Test func aKilledConnectionIsCountedAndTheRunEndsOnTime() async throws {
        let url = try await database()
        let database = String(url.split(separator: "/").last!)
        let engine = LoadEngine(options: try options(url, .tpcb, seconds: 3, connections: 2))
        let started = ContinuousClock.now
        async let run = engine.run()
        let admin = try await connect()
        let watcher = try await connect(url)
        // Wait until transactions are committing (the history grows), then end the clients' sessions.
        var killed: Int64 = 0
        for _ in 0..<200 where killed == 0 {
            try await Task.sleep(for: .milliseconds(50))
            guard
                try await integer(watcher, "SELECT count(*) FROM pg_tables WHERE tablename = 'pgbench_history'") == 1,
                try await integer(watcher, "SELECT count(*) FROM pgbench_history") ?? 0 > 0
            else { continue }
            killed =
                try await integer(
                    admin,
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE datname = '\(database)' AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                        + "AND pid <> \(try await integer(watcher, "SELECT pg_backend_pid()") ?? 0)) AS t") ?? 0
        }
        await watcher.close()
        await admin.close()
        let result = try await run.result
        let elapsed = ContinuousClock.now - started
        #expect(killed > 0)
        #expect(result.errors.read >= 1, "\(result.errors)")
        // Nothing but the kill went wrong: a request on a killed session fails as a read, or, when the client learns
        // of the end only after the request's timeout, as a timeout (seen once in CI: read 1, timeout 1).
        #expect(result.errors.total == result.errors.read + result.errors.timeout, "\(result.errors)")
        // The clients reconnected and went on.
        #expect(result.series.last.map { $0.requests > 0 } == true, "\(result.series)")
        #expect(!result.interrupted && result.measuredSeconds == 3)
        // Loading, three seconds of load and a drain: far less than twice the planned window plus the timeout.
        #expect(elapsed < .seconds(2 * 3 + 5), "\(elapsed)")
    }

    @Test func serializationFailuresAndDeadlocksAreClassified() async throws {
        let url = try await database()
        let setup = try await connect(url)
        _ = try await setup.query("CREATE TABLE pair (id int PRIMARY KEY, value int)")
        _ = try await setup.query("INSERT INTO pair VALUES (1, 0), (2, 0)")
        await setup.close()
        let a = try await connect(url)
        let b = try await connect(url)

        // Write skew under SERIALIZABLE: each reads both rows and writes one; the second to commit fails.
        for session in [a, b] {
            _ = try await session.query("BEGIN ISOLATION LEVEL SERIALIZABLE")
            _ = try await session.query("SELECT sum(value) FROM pair")
        }
        _ = try await a.query("UPDATE pair SET value = 1 WHERE id = 1")
        _ = try await b.query("UPDATE pair SET value = 1 WHERE id = 2")
        _ = try await a.query("COMMIT")
        let update = try await b.prepare("COMMIT")
        let serialization = await #expect(throws: (any Error).self) { try await b.execute(update, []) }
        #expect(serialization.map(PostgresSession.classify) == .serialization)
        #expect(serialization.map(PostgresSession.describe)?.contains("40001") == true)
        _ = try? await b.query("ROLLBACK")

        // Crossed row locks: each holds one row and waits for the other's; the server picks a victim.
        _ = try await a.query("BEGIN")
        _ = try await b.query("BEGIN")
        let byID = try await a.prepare("UPDATE pair SET value = value + 1 WHERE id = $1")
        let byIDOnB = try await b.prepare("UPDATE pair SET value = value + 1 WHERE id = $1")
        _ = try await a.execute(byID, [.int(1)])
        _ = try await b.execute(byIDOnB, [.int(2)])
        async let first: Result<SQLResult, any Error> = Result(awaiting: { try await a.execute(byID, [.int(2)]) })
        try await Task.sleep(for: .milliseconds(100))
        let second: Result<SQLResult, any Error> = await Result(awaiting: { try await b.execute(byIDOnB, [.int(1)]) })
        let outcomes = [await first, second]
        let failures = outcomes.compactMap { outcome -> SQLFailure? in
            if case .failure(let error) = outcome { return PostgresSession.classify(error) }
            return nil
        }
        #expect(failures == [.deadlock])
        _ = try? await a.query("ROLLBACK")
        _ = try? await b.query("ROLLBACK")

        // Any other server error is a statement error, and the session stays usable.
        let bad = try await a.prepare("SELECT 1 / $1")
        let division = await #expect(throws: (any Error).self) { try await a.execute(bad, [.int(0)]) }
        #expect(division.map(PostgresSession.classify) == .statement)
        #expect(try await integer(a, "SELECT 42") == 42)
        await a.close()
        await b.close()
    }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
