import Logging

/// What `stacklab-refapp` serves, where, and from which database.
public struct RefAppConfiguration: Sendable, Equatable {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080
    /// The SQLite file used when neither a path nor a PostgreSQL URL is given, in the current directory.
    public static let defaultDatabasePath = "refapp.sqlite"

    /// The address to bind; loopback unless told otherwise.
    public var host: String
    /// The TCP port; 0 lets the system pick one, which the readiness line then shows.
    public var port: Int
    /// Event loop threads; nil means one per core the process may run on.
    public var threads: Int?
    public var database: RefAppDatabase
    public var logLevel: Logger.Level
    /// A wait before every response but `/health`'s (`--delay`), to inject a known regression; zero by default.
    public var delay: Duration = .zero

    public init(
        host: String = RefAppConfiguration.defaultHost,
        port: Int = RefAppConfiguration.defaultPort,
        threads: Int? = nil,
        database: RefAppDatabase = .sqlite(path: RefAppConfiguration.defaultDatabasePath),
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.database = database
        self.logLevel = logLevel
    }
}
