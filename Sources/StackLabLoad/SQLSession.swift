import NIOCore

/// A value bound to a prepared statement's parameter, or read from a row.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// The value as an integer when it is one, or text that reads as one (a `count(*)`, a `sum`).
    public var integer: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): value.isFinite ? Int64(value) : nil
        case .text(let text): Int64(text)
        case .null: nil
        }
    }
}

/// What a statement returned: its rows (possibly none) and the rows it changed.
public struct SQLResult: Sendable {
    public var rows: [[SQLValue]]
    public var affectedRows: Int

    public init(rows: [[SQLValue]] = [], affectedRows: Int = 0) {
        self.rows = rows
        self.affectedRows = affectedRows
    }
}

/// Where and as whom a SQL session connects.
public struct SQLEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?

    public init(host: String, port: Int, user: String, password: String? = nil, database: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }
}

/// Why a statement or a connection failed, as a load result counts it.
public enum SQLFailure: Sendable, Equatable {
    /// The server aborted the transaction to keep it serializable (SQLSTATE 40001); a retry may succeed.
    case serialization
    /// The server found a deadlock and chose this transaction as the victim (SQLSTATE 40P01, MySQL 1213).
    case deadlock
    /// A lock was not granted in time (MySQL 1205); counted with timeouts.
    case lockTimeout
    /// Any other error the server answered with: the transaction is rolled back, the connection stays usable.
    case statement
    /// The connection could not be opened, or the server refused the login.
    case connect
    /// The connection closed or broke while a statement was in flight; a new one must be opened.
    case connectionLost
}

/// One connection to a SQL server, as the load engine drives it: prepare once, execute many times.
///
/// An adapter wraps one client library (PostgresNIO for PostgreSQL, `StackLabMySQL` for MySQL and
/// MariaDB) and says how its errors map to ``SQLFailure``. Statements are written for the adapter's
/// ``dialect``; the engine writes them with `$1, $2…` placeholders and ``SQLDialect/statement(_:)``
/// rewrites them. A session is used by one task at a time; ``close()`` may be called from another task
/// to abandon a stuck statement, which must then fail promptly.
public protocol SQLSession: AnyObject, Sendable {
    /// The server-side handle of a prepared statement.
    associatedtype Statement: Sendable

    /// How statements for this server are written.
    static var dialect: SQLDialect { get }

    /// Opens a connection and logs in.
    static func connect(to endpoint: SQLEndpoint, on loop: any EventLoop) async throws -> Self

    /// Prepares `sql` (in the dialect's placeholder syntax) on the server.
    func prepare(_ sql: String) async throws -> Statement

    /// Executes a prepared statement with integer and text parameters, in order.
    func execute(_ statement: Statement, _ parameters: [SQLValue]) async throws -> SQLResult

    /// Runs one statement with no parameters, unprepared (DDL, `BEGIN`, a setup query).
    func query(_ sql: String) async throws -> SQLResult

    /// Closes the connection; a statement in flight fails.
    func close() async

    /// The class of an error thrown by ``connect(to:on:)``, ``prepare(_:)``, ``execute(_:_:)`` or ``query(_:)``.
    static func classify(_ error: any Error) -> SQLFailure

    /// A one-line description of an error for a person (the server's message, without a stack of wrappers).
    static func describe(_ error: any Error) -> String
}
