import Foundation
import StackLabCore

/// Where the load goes: an `http://`, `https://`, `redis://`, `postgres://`, `mysql://`, `nats://`, `mqtt://` or
/// `amqp://` URL taken apart once, before the run.
public struct TargetURL: Sendable, Equatable {
    /// The URL as given, with a password replaced by `***`.
    public var text: String
    public var tls: Bool
    /// A `redis://` URL: the load speaks RESP rather than HTTP.
    public var isRedis: Bool
    /// A `nats://` URL: the load is a messaging run in the NATS client protocol.
    public var isNATS: Bool
    /// An `mqtt://` URL: the load is a messaging run in MQTT 3.1.1.
    public var isMQTT: Bool
    /// An `amqp://` URL: the load is a messaging run in AMQP 0-9-1 (RabbitMQ).
    public var isAMQP: Bool
    /// The queues an `amqp://` run declares, `classic` or `quorum` (`?queue_type=quorum`, what a `kind: rabbitmq`
    /// endpoint says); nil for the other schemes.
    public var queueType: String?
    /// The user of a `nats://USER:PASSWORD@host:port`, `mqtt://…` or `amqp://…` URL, sent in the login.
    public var user: String?
    /// The password of a `redis://:PASSWORD@host:port` URL, sent with `AUTH` on every connection, or of a SQL
    /// URL.
    public var password: String?
    /// For `postgres://USER:PASSWORD@HOST:PORT/DATABASE` and `mysql://…`: where and as whom to log in.
    public var sqlEndpoint: SQLEndpoint?
    /// The SQL family of a `postgres://` or `mysql://` URL.
    public var sqlFamily: SQLDialect.Family?
    public var host: String
    public var port: Int
    /// Path and query as sent on the request line, never empty.
    public var pathAndQuery: String

    /// The `Host` header: the port is left out when it is the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// True when the host is an IP address literal, which TLS must not send as SNI.
    public var hostIsAddress: Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The queue types an `amqp://` run can declare.
    public static let queueTypes = ["classic", "quorum"]

    /// Whether the URL runs a messaging workload (`nats://`, `mqtt://`, `amqp://`).
    public var isMessaging: Bool { isNATS || isMQTT || isAMQP }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw UserError("'\(text)' is not a URL; write it like http://127.0.0.1:8080/json")
        }
        let sqlSchemes: [String: SQLDialect.Family] = [
            "postgres": .postgres, "postgresql": .postgres, "mysql": .mysql, "mariadb": .mysql,
        ]
        guard ["http", "https", "redis", "nats", "mqtt", "amqp"].contains(scheme) || sqlSchemes[scheme] != nil else {
            throw UserError(
                "'\(text)': scheme '\(scheme)' is not supported; use http://, https://, redis://, postgres://, mysql://, nats://, mqtt:// or amqp://"
            )
        }
        guard let host = components.host, !host.isEmpty else {
            throw UserError("'\(text)' has no host; write it like http://127.0.0.1:8080/json")
        }
        self.isRedis = scheme == "redis"
        self.isNATS = scheme == "nats"
        self.isMQTT = scheme == "mqtt"
        self.isAMQP = scheme == "amqp"
        self.sqlFamily = sqlSchemes[scheme]
        let messaging = isNATS || isMQTT || isAMQP
        self.password = isRedis || messaging || sqlFamily != nil ? components.password : nil
        self.user = messaging ? components.user.flatMap { $0.isEmpty ? nil : $0 } : nil
        self.queueType = nil
        if isAMQP {
            let type = components.queryItems?.first { $0.name == "queue_type" }?.value ?? "classic"
            guard Self.queueTypes.contains(type) else {
                throw UserError(
                    "'\(text)': queue_type '\(type)' is not one of \(Self.queueTypes.joined(separator: ", "))")
            }
            self.queueType = type
        }
        if components.password != nil {
            var shown = components
            shown.password = "***"
            self.text = shown.string ?? "\(scheme)://***"
        } else {
            self.text = text
        }
        self.tls = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let sqlPort = sqlFamily.map { $0 == .postgres ? 5432 : 3306 }
        let messagingPort = isNATS ? 4222 : isMQTT ? 1883 : isAMQP ? 5672 : nil
        self.port = components.port ?? sqlPort ?? messagingPort ?? (isRedis ? 6379 : tls ? 443 : 80)
        guard (1...65_535).contains(port) else {
            throw UserError("'\(text)': port \(port) is out of range")
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        self.pathAndQuery = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        if let sqlFamily {
            let database = components.path.drop { $0 == "/" }
            self.sqlEndpoint = SQLEndpoint(
                host: self.host, port: port,
                user: components.user ?? (sqlFamily == .postgres ? "postgres" : "root"), password: password,
                database: database.isEmpty ? nil : String(database))
        }
    }
}
