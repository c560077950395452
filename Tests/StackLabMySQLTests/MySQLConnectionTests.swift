import Foundation
import NIOPosix
import StackLabLocal
import StackLabMySQL
import Testing

/// The client against a real MariaDB started with the `mariadb` recipe (one for the whole suite).
@Suite(
    .serialized, .mariaDB,
    .enabled(if: TestMariaDB.isInstalled, "MariaDB is not installed (apt-get install mariadb-server)"))
struct MySQLConnectionTests {
    var server: TestMariaDB { TestMariaDB.current! }

    @Test func connectsWithThePasswordAndQueries() async throws {
        let connection = try await server.connect()
        let result = try await connection.query("SELECT 1 + 1 AS two, DATABASE() AS db, CURRENT_USER() AS who")
        #expect(result.columns == ["two", "db", "who"])
        #expect(result.rows == [[.int(2), .text("stacklab"), .text("stacklab@127.0.0.1")]])
        #expect(connection.serverVersion.contains("MariaDB"))
        await connection.close()
        await connection.close()
    }

    @Test func wrongPasswordIsAnAuthenticationError() async throws {
        let error = await #expect(throws: MySQLError.self) { try await server.connect(password: "not-the-password") }
        guard case .authentication(let message) = error else {
            Issue.record("expected an authentication error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("Access denied for user 'stacklab'"))
        #expect(message.contains("1045"))
    }

    @Test func nothingListeningIsCannotConnect() async throws {
        let port = try PortAllocatorForTests.freePort()
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.connect(
                host: "127.0.0.1", port: port, user: "stacklab", password: "x", database: nil,
                on: MultiThreadedEventLoopGroup.singleton.any())
        }
        guard case .cannotConnect = error else {
            Issue.record("expected cannotConnect, got \(String(describing: error))")
            return
        }
    }

    @Test func unknownTableIsServerError1146() async throws {
        let connection = try await server.connect()
        defer { Task { await connection.close() } }
        let error = await #expect(throws: MySQLError.self) { try await connection.query("SELECT * FROM no_such_table") }
        guard case .server(let code, let sqlState, let message) = error else {
            Issue.record("expected a server error, got \(String(describing: error))")
            return
        }
        #expect(code == 1146)
        #expect(sqlState == "42S02")
        #expect(message.contains("no_such_table"))
        // The connection is still usable after an error.
        #expect(try await connection.query("SELECT 7").rows == [[.int(7)]])
    }

    @Test func insertReportsAffectedRowsAndLastInsertID() async throws {
        let connection = try await server.connect()
        _ = try await connection.query("DROP TABLE IF EXISTS ids")
        _ = try await connection.query("CREATE TABLE ids (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
        let first = try await connection.query("INSERT INTO ids (v) VALUES (10)")
        #expect(first.affectedRows == 1)
        #expect(first.lastInsertID == 1)
        let more = try await connection.query("INSERT INTO ids (v) VALUES (20), (30), (40)")
        #expect(more.affectedRows == 3)
        #expect(more.lastInsertID == 2)  // the first id of a multi-row insert
        let update = try await connection.query("UPDATE ids SET v = v + 1 WHERE v >= 20")
        #expect(update.affectedRows == 3 && update.columns.isEmpty)
        await connection.close()
    }

    @Test func preparedStatementRoundTrip() async throws {
        let connection = try await server.connect()
        _ = try await connection.query("DROP TABLE IF EXISTS things")
        _ = try await connection.query(
            """
            CREATE TABLE things (id BIGINT PRIMARY KEY, score DOUBLE, name VARCHAR(100), blob_value VARBINARY(100),
            price DECIMAL(10,2), made DATETIME(3), day DATE, small TINYINT UNSIGNED)
            """)
        let insert = try await connection.prepare(
            "INSERT INTO things (id, score, name, blob_value, price, made, day, small) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        #expect(insert.parameterCount == 8)
        let rows: [[MySQLValue]] = [
            [
                .int(1), .double(1.5), .text("ünïcode"), .bytes([0, 1, 255]), .text("12.34"),
                .text("2024-05-01 12:30:45.123"),
                .text("2024-05-01"), .int(200),
            ],
            [.int(-9_000_000_000), .null, .text(""), .null, .null, .null, .null, .null],
        ]
        for row in rows {
            #expect(try await connection.execute(insert, row).affectedRows == 1)
        }
        let select = try await connection.prepare("SELECT * FROM things WHERE id <= ? ORDER BY id DESC")
        #expect(select.columns == ["id", "score", "name", "blob_value", "price", "made", "day", "small"])
        let result = try await connection.execute(select, [.int(100)])
        #expect(result.rows == rows)
        // The text protocol reads the same values.
        #expect(try await connection.query("SELECT * FROM things ORDER BY id DESC").rows == rows)
        #expect(try await connection.execute(select, [.int(-10_000_000_000)]).rows.isEmpty)
        let error = await #expect(throws: MySQLError.self) { try await connection.execute(select, []) }
        #expect(error == .wrongParameterCount(expected: 1, given: 0))
        try await connection.close(select)
        await #expect(throws: MySQLError.self) { try await connection.execute(select, [.int(1)]) }
        await connection.close()
    }

    @Test func longValuesAndManyRows() async throws {
        let connection = try await server.connect()
        let long = try await connection.query("SELECT REPEAT('abc', 30000) AS t")
        #expect(long.rows.first?.first?.text?.count == 90_000)
        let many = try await connection.query(
            "SELECT seq, seq * 2 FROM seq_1_to_5000")
        #expect(many.rows.count == 5000)
        #expect(many.rows.last == [.int(5000), .int(10000)])
        let statement = try await connection.prepare("SELECT seq, REPEAT('x', ?) FROM seq_1_to_100")
        let result = try await connection.execute(statement, [.int(70_000)])
        #expect(result.rows.count == 100)
        #expect(result.rows.allSatisfy { $0[1].text?.count == 70_000 })
        await connection.close()
    }

    @Test func payloadsOver16MiBTravelBothWays() async throws {
        let admin = try await server.connect()
        _ = try await admin.query("SET GLOBAL max_allowed_packet = 67108864")
        await admin.close()
        let connection = try await server.connect()
        _ = try await connection.query("DROP TABLE IF EXISTS big")
        _ = try await connection.query("CREATE TABLE big (id INT PRIMARY KEY, body LONGBLOB)")
        let body = (0..<17_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let insert = try await connection.prepare("INSERT INTO big VALUES (1, ?)")
        #expect(try await connection.execute(insert, [.bytes(body)]).affectedRows == 1)
        let read = try await connection.query("SELECT body, LENGTH(body) FROM big")
        #expect(read.rows.first?[1] == .int(17_000_000))
        #expect(read.rows.first?[0] == .bytes(body))
        await connection.close()
    }

    @Test func killedConnectionFailsThePendingQuery() async throws {
        let victim = try await server.connect()
        let killer = try await server.connect()
        let clock = ContinuousClock()
        let start = clock.now
        async let sleeping = victim.query("SELECT SLEEP(60)")
        try await Task.sleep(for: .milliseconds(300))
        _ = try await killer.query("KILL \(victim.connectionID)")
        var failure: (any Error)?
        do { _ = try await sleeping } catch { failure = error }
        #expect(failure is MySQLError, "\(String(describing: failure))")
        // Far sooner than the SLEEP would have ended.
        #expect(clock.now - start < .seconds(30))
        let after = await #expect(throws: MySQLError.self) { try await victim.query("SELECT 1") }
        guard case .connectionClosed = after else {
            Issue.record("expected connectionClosed after the kill, got \(String(describing: after))")
            return
        }
        await killer.close()
    }

    @Test func crossedLocksDeadlock() async throws {
        let setup = try await server.connect()
        _ = try await setup.query("DROP TABLE IF EXISTS accounts")
        _ = try await setup.query("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT) ENGINE=InnoDB")
        _ = try await setup.query("INSERT INTO accounts VALUES (1, 100), (2, 100)")
        let first = try await server.connect()
        let second = try await server.connect()
        for connection in [first, second] { _ = try await connection.query("BEGIN") }
        _ = try await first.query("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
        _ = try await second.query("UPDATE accounts SET balance = balance - 1 WHERE id = 2")
        async let firstWaits: MySQLResult = first.query("UPDATE accounts SET balance = balance + 1 WHERE id = 2")
        try await Task.sleep(for: .milliseconds(300))
        var errors: [MySQLError] = []
        do { _ = try await second.query("UPDATE accounts SET balance = balance + 1 WHERE id = 1") } catch let error
            as MySQLError
        { errors.append(error) }
        do { _ = try await firstWaits } catch let error as MySQLError { errors.append(error) }
        #expect(errors.count == 1)
        guard case .server(let code, let sqlState, _) = errors.first else {
            Issue.record("expected a deadlock error, got \(errors)")
            return
        }
        #expect(code == 1213 && sqlState == "40001")
        #expect(errors.first?.isRetryable == true)
        for connection in [first, second] { _ = try await connection.query("ROLLBACK") }
        for connection in [setup, first, second] { await connection.close() }
    }
}

enum PortAllocatorForTests {
    static func freePort() throws -> Int { try StackLabLocal.PortAllocator().next() }
}

extension MySQLConnectionTests {
    /// A port that accepts and stays silent (not a MySQL server): connect gives up instead of hanging.
    @Test func silentServerIsCannotConnectNotAHang() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        defer { listener.close(promise: nil) }
        let port = try #require(listener.localAddress?.port)
        let error = await #expect(throws: MySQLError.self) {
            try await MySQLConnection.connect(
                host: "127.0.0.1", port: port, user: "stacklab", password: "x", database: nil, on: group.any())
        }
        guard case .cannotConnect(let message) = error else {
            Issue.record("expected cannotConnect, got \(String(describing: error))")
            return
        }
        #expect(message.contains("did not complete a MySQL login"))
    }
}
