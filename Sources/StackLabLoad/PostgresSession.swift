import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A ``SQLSession`` on PostgresNIO: one `PostgresConnection`, server-side prepared statements.
///
/// Statements are prepared once with a name (`Parse`), then each execution is `Bind`/`Execute`/`Sync` on
/// that name, as `pgbench -M prepared` does. Integer parameters are sent as `int4` when they fit (the
/// pgbench and sbtest columns are `int`, and PostgreSQL infers `int4` for their parameters), else `int8`.
final class PostgresSession: SQLSession {
    struct Statement: Sendable {
        let prepared: PreparedQuery
    }

    static let dialect = SQLDialect.postgres
    private static let logger = Logger(label: "stacklab.load.postgres")

    let connection: PostgresConnection

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// How long a server that says it is starting up (SQLSTATE 57P03: its port opens before it accepts
    /// logins) is given before its refusal counts.
    static let startupGrace = Duration.seconds(30)

    static func connect(to endpoint: SQLEndpoint, on loop: any EventLoop) async throws -> PostgresSession {
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.user, password: endpoint.password,
            database: endpoint.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        let deadline = ContinuousClock.now + startupGrace
        while true {
            do {
                let connection = try await PostgresConnection.connect(
                    on: loop, configuration: configuration, id: 0, logger: logger
                ).get()
                return PostgresSession(connection: connection)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57P03" {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    func prepare(_ sql: String) async throws -> Statement {
        Statement(prepared: try await connection.prepare(query: sql).get())
    }

    func execute(_ statement: Statement, _ parameters: [SQLValue]) async throws -> SQLResult {
        let rows = try await statement.prepared.execute(parameters.map(Self.data)).get()
        return SQLResult(rows: rows.map(Self.values))
    }

    func query(_ sql: String) async throws -> SQLResult {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
        var result = SQLResult()
        for try await row in rows { result.rows.append(Self.values(row)) }
        return result
    }

    func close() async {
        try? await connection.close()
    }

    /// Prepared statements go through PostgresNIO's older API, which reports a server error as
    /// `PostgresError.server`; the newer one reports `PSQLError`. Both carry the SQLSTATE.
    static func classify(_ error: any Error) -> SQLFailure {
        if case .server(let message)? = error as? PostgresError {
            return classify(sqlState: message.fields[.sqlState])
        }
        guard let error = error as? PSQLError else { return .connectionLost }
        switch error.code {
        case .server:
            return classify(sqlState: error.serverInfo?[.sqlState])
        case .connectionError, .sslUnsupported, .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return .connect
        default:
            return .connectionLost
        }
    }

    private static func classify(sqlState: String?) -> SQLFailure {
        switch sqlState {
        case "40001": .serialization
        case "40P01": .deadlock
        case "55P03": .lockTimeout
        case let state? where state.hasPrefix("08") || state.hasPrefix("57P"): .connectionLost
        default: .statement
        }
    }

    static func describe(_ error: any Error) -> String {
        if case .server(let message)? = error as? PostgresError {
            return "\(message.fields[.message] ?? "error") (SQLSTATE \(message.fields[.sqlState] ?? "?"))"
        }
        guard let error = error as? PSQLError else { return LoadEngine.describe(error) }
        if let info = error.serverInfo, let message = info[.message] {
            return "\(message) (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying { return LoadEngine.describe(underlying) }
        return "\(error.code)"
    }

    private static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: PostgresData(type: .null, value: nil)
        case .int(let number):
            Int32(exactly: number).map { PostgresData(int32: $0) } ?? PostgresData(int64: number)
        case .double(let number): PostgresData(double: number)
        case .text(let text): PostgresData(string: text)
        }
    }

    private static func values(_ row: PostgresRow) -> [SQLValue] {
        row.map { cell in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8:
                return (try? cell.decode(Int64.self)).map(SQLValue.int) ?? .null
            case .float4, .float8:
                return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
            case .numeric:
                guard let decimal = try? cell.decode(Decimal.self) else { return .null }
                return .int(Int64(truncating: decimal as NSNumber))
            default:
                return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
            }
        }
    }
}
