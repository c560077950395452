import Foundation
import PostgresNIO

/// A PostgreSQL connection URL, `postgres://user:pass@127.0.0.1:5432/db`, taken apart once at start.
///
/// TLS is off unless the URL asks for it with `sslmode=require` (no certificate check, as libpq does)
/// or `sslmode=verify-full`: the lab talks to its database on loopback, where a handshake only adds cost.
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode

    /// `HOST/DB` as the readiness line shows it, without the credentials.
    public var displayName: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "\(name):\(port)/\(database ?? username)"
    }

    public init(parsing text: String) throws {
        let example = "write it like postgres://user:pass@127.0.0.1:5432/db"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw RefAppError("DATABASE_URL '\(text)' is not a URL; \(example)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw RefAppError("DATABASE_URL: scheme '\(scheme)' is not PostgreSQL; \(example)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RefAppError("DATABASE_URL has no host; \(example)")
        }
        guard let username = components.user, !username.isEmpty else {
            throw RefAppError("DATABASE_URL has no user name; \(example)")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw RefAppError("DATABASE_URL: port \(port) is out of range")
        }
        self.username = username
        self.password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? nil : path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        switch sslmode {
        case "disable", "allow", "prefer": self.tls = .disable
        case "require": self.tls = .require
        case "verify-ca", "verify-full": self.tls = .verifyFull
        default:
            throw RefAppError("DATABASE_URL: sslmode '\(sslmode)' is not one of disable, require, verify-full")
        }
    }

    /// The configuration for a `PostgresClient` with a pool of at most `maximumConnections` connections.
    public func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch self.tls {
        case .disable:
            tls = .disable
        case .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            tls = .require(settings)
        case .verifyFull:
            tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = max(1, maximumConnections)
        return configuration
    }
}
