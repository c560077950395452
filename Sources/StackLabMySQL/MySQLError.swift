/// Why a MySQL call failed.
public enum MySQLError: Error, Sendable, Equatable {
    /// The server answered with an error packet: its code (1146), SQLSTATE (`42S02`) and message.
    case server(code: UInt16, sqlState: String, message: String)
    /// The server refused the user or password, or asked for an authentication method this client lacks.
    case authentication(String)
    /// No connection could be made to the server.
    case cannotConnect(String)
    /// The connection was closed or lost (the server went away, or the connection was killed) before the
    /// call's answer was complete, or the connection had been closed before the call.
    case connectionClosed(String)
    /// The server sent something this client cannot read: a bug on one side or the other.
    case protocolViolation(String)
    /// `execute` got a different number of parameters than the statement has placeholders.
    case wrongParameterCount(expected: Int, given: Int)

    /// Whether the server reported a deadlock (1213) or a lock wait timeout (1205): retry the transaction.
    public var isRetryable: Bool {
        if case .server(let code, _, _) = self { return code == 1213 || code == 1205 }
        return false
    }
}

extension MySQLError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .server(let code, let sqlState, let message):
            "MySQL server error \(code) (SQLSTATE \(sqlState)): \(message)"
        case .authentication(let message): "MySQL authentication failed: \(message)"
        case .cannotConnect(let message): "cannot connect to the MySQL server: \(message)"
        case .connectionClosed(let message): "MySQL connection closed: \(message)"
        case .protocolViolation(let message): "MySQL protocol error: \(message)"
        case .wrongParameterCount(let expected, let given):
            "the statement has \(expected) placeholder(s) but was executed with \(given) parameter(s)"
        }
    }
}
