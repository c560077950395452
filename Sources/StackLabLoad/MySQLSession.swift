import NIOCore
import StackLabMySQL

/// A ``SQLSession`` on StackLab's own MySQL client (`StackLabMySQL`): one connection, statements prepared
/// with `COM_STMT_PREPARE` and executed over the binary protocol; `BEGIN`/`COMMIT` go as text queries.
final class MySQLSession: SQLSession {
    typealias Statement = MySQLStatement

    static let dialect = SQLDialect.mysql

    let connection: MySQLConnection

    private init(connection: MySQLConnection) {
        self.connection = connection
    }

    static func connect(to endpoint: SQLEndpoint, on loop: any EventLoop) async throws -> MySQLSession {
        let connection = try await MySQLConnection.connect(
            host: endpoint.host, port: endpoint.port, user: endpoint.user, password: endpoint.password ?? "",
            database: endpoint.database, on: loop)
        return MySQLSession(connection: connection)
    }

    func prepare(_ sql: String) async throws -> MySQLStatement {
        try await connection.prepare(sql)
    }

    func execute(_ statement: MySQLStatement, _ parameters: [SQLValue]) async throws -> SQLResult {
        Self.result(try await connection.execute(statement, parameters.map(Self.value)))
    }

    func query(_ sql: String) async throws -> SQLResult {
        Self.result(try await connection.query(sql))
    }

    func close() async {
        await connection.close()
    }

    /// MySQL's error codes: 1213 deadlock, 1205 lock wait timeout, 1020 and 1180-style SQLSTATE 40001
    /// serialization failures; refused logins and unreachable servers are connection failures.
    static func classify(_ error: any Error) -> SQLFailure {
        guard let error = error as? MySQLError else { return .connectionLost }
        switch error {
        case .server(let code, let sqlState, _):
            switch code {
            case 1213: return .deadlock
            case 1205: return .lockTimeout
            // Killed or shut down under the statement: the connection is gone.
            case 1053, 1317, 1927, 2006, 2013: return .connectionLost
            default: return sqlState == "40001" ? .serialization : .statement
            }
        case .authentication, .cannotConnect: return .connect
        case .connectionClosed, .protocolViolation: return .connectionLost
        case .wrongParameterCount: return .statement
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? MySQLError else { return LoadEngine.describe(error) }
        if case .server(let code, let sqlState, let message) = error {
            return "\(message) (error \(code), SQLSTATE \(sqlState))"
        }
        return error.description
    }

    private static func value(_ value: SQLValue) -> MySQLValue {
        switch value {
        case .null: .null
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .text(let text): .text(text)
        }
    }

    private static func result(_ result: MySQLResult) -> SQLResult {
        let rows = result.rows.map { row in
            row.map { value -> SQLValue in
                switch value {
                case .null: .null
                case .int(let number): .int(number)
                case .double(let number): .double(number)
                case .text(let text): .text(text)
                case .bytes(let bytes): .text(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        return SQLResult(rows: rows, affectedRows: Int(clamping: result.affectedRows))
    }
}
