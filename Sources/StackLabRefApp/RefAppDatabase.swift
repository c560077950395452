import Foundation

/// Which database holds the `World` table: an embedded SQLite file, or a PostgreSQL server.
public enum RefAppDatabase: Sendable, Equatable {
    /// A SQLite file, created when missing. A relative path is taken from the current directory.
    case sqlite(path: String)
    /// A PostgreSQL server, reached through a connection pool.
    case postgres(PostgresURL)

    /// `sqlite /abs/path` or `postgres host:port/db`, as the readiness line shows it.
    public var displayName: String {
        switch self {
        case .sqlite(let path):
            "sqlite \(URL(fileURLWithPath: path).standardizedFileURL.path)"
        case .postgres(let url):
            "postgres \(url.displayName)"
        }
    }
}
