import Foundation

/// Where a running component can be reached and how: the address, the protocol it speaks there, whether it
/// serves TLS, and the credentials a client logs in with.
///
/// A component's plan returns its endpoints (the kind's recipe knows its user, database and password); the
/// runner hands the entry's to the load engine and a database's to the app in front of it, so that nothing
/// outside a kind's recipe knows how a kind is reached.
public struct ComponentEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// What a client speaks to it: `http` (https with `tls`), `redis`, `postgres`, `mysql`.
    public var wireProtocol: Workload.WireProtocol
    /// Whether it serves TLS with the run's self-signed certificate, so a client must accept that.
    public var tls: Bool
    public var user: String?
    public var password: String?
    /// The database a SQL client opens.
    public var database: String?
    /// What else a client must know, as the URL's query: RabbitMQ's `queue_type=quorum` (the queues the
    /// messaging workload declares).
    public var query: String?

    public init(
        host: String = "127.0.0.1", port: Int, wireProtocol: Workload.WireProtocol, tls: Bool = false,
        user: String? = nil, password: String? = nil, database: String? = nil, query: String? = nil
    ) {
        self.query = query
        self.host = host
        self.port = port
        self.wireProtocol = wireProtocol
        self.tls = tls
        self.user = user
        self.password = password
        self.database = database
    }

    /// The endpoint as a URL, credentials percent-encoded: `http://127.0.0.1:8080/json` (with `path`),
    /// `https://…` with TLS, `redis://:PASSWORD@127.0.0.1:6379`, `postgres://USER:PASSWORD@127.0.0.1:5432/DB`,
    /// `mysql://USER:PASSWORD@127.0.0.1:3306/DB`, `amqp://USER:PASSWORD@127.0.0.1:5672/?queue_type=quorum`.
    public func url(path: String = "") -> String {
        let scheme = wireProtocol == .http && tls ? "https" : wireProtocol.rawValue
        let encodedPassword = password.map { ":" + Self.encoded($0) }
        let credentials =
            user != nil || encodedPassword != nil ? (user.map(Self.encoded) ?? "") + (encodedPassword ?? "") + "@" : ""
        let hostText = host.contains(":") ? "[\(host)]" : host
        let tail = database.map { "/" + Self.encoded($0) } ?? path
        let question = query.map { (tail.contains("?") ? "&" : (tail.isEmpty ? "/?" : "?")) + $0 } ?? ""
        return "\(scheme)://\(credentials)\(hostText):\(port)\(tail)\(question)"
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
