import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Builds and runs the reference app: the routes, the database behind them, and the HTTP server.
public enum RefApp {
    /// The `Server` header on every response.
    public static let serverName = "stacklab-refapp"
    /// How long start-up waits for the database (a PostgreSQL server that is still starting) before giving up.
    public static let prepareTimeLimit: Duration = .seconds(30)

    /// The line printed once the server listens, which a supervisor watches for:
    /// `stacklab-refapp listening on http://HOST:PORT (sqlite PATH | postgres HOST/DB)`.
    public static func readinessLine(configuration: RefAppConfiguration, port: Int) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "\(serverName) listening on http://\(host):\(port) (\(configuration.database.displayName))"
    }

    /// The application, ready for `runService()` or HummingbirdTesting's `test(_:_:)`.
    ///
    /// The database table is created and seeded before the server binds, so `onReady` (called with
    /// `readinessLine` once the port is bound, with the real port when `port` is 0) means ready to serve.
    /// A PostgreSQL client runs in the application's own `ServiceGroup` and stops after the server.
    public static func buildApplication(
        configuration: RefAppConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger? = nil,
        onReady: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let logger = logger ?? Self.logger(level: configuration.logLevel)
        let threads = configuration.threads ?? System.coreCount
        let store: any WorldStore
        var client: PostgresClient?
        switch configuration.database {
        case .sqlite(let path):
            store = try SQLiteWorldStore(path: path, maximumReaderCount: max(5, threads))
        case .postgres(let url):
            // Enough connections that every event loop can have a few queries in flight.
            let postgres = PostgresClient(
                configuration: url.clientConfiguration(maximumConnections: max(8, 4 * threads)),
                eventLoopGroup: eventLoopGroup,
                backgroundLogger: logger
            )
            store = PostgresWorldStore(client: postgres, logger: logger)
            client = postgres
        }
        var app = Application(
            router: RefAppRoutes.router(store: store, delay: configuration.delay),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: serverName
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                onReady(readinessLine(configuration: configuration, port: port))
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        if let client {
            app.addServices(client)
        }
        let database = configuration.database.displayName
        app.beforeServerStarts {
            do {
                try await withDeadline(
                    prepareTimeLimit,
                    message: "the \(database) database did not get ready within \(prepareTimeLimit); is it running?"
                ) {
                    try await store.prepare()
                }
            } catch let error as RefAppError {
                throw error
            } catch {
                throw RefAppError(
                    "cannot prepare the World table in \(database): \(String(reflecting: error))",
                    exitCode: RefAppError.runtimeExitCode
                )
            }
        }
        return app
    }

    /// Runs the app until SIGTERM or SIGINT, then shuts it down gracefully: the server stops
    /// accepting, open requests finish, the database client closes, the event loops stop.
    public static func run(
        configuration: RefAppConfiguration,
        onReady: @escaping @Sendable (String) -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads ?? System.coreCount)
        do {
            let app = try buildApplication(configuration: configuration, eventLoopGroup: group, onReady: onReady)
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            try? await group.shutdownGracefully()
            throw RefAppError(
                "cannot listen on \(configuration.host):\(configuration.port): the address is already in use",
                exitCode: RefAppError.runtimeExitCode
            )
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: serverName)
        logger.logLevel = level
        return logger
    }
}
