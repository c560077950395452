import Hummingbird
import HummingbirdTesting
import StackLabRefApp
import Testing

/// What a supervisor sees: the readiness line, and the answer when the database fails.
struct RefAppLifecycleTests {
    @Test func readinessLineComesAfterSeedingWithTheRealPort() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.databasePath
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            let app = try RefApp.buildApplication(
                configuration: RefAppConfiguration(port: 0, database: .sqlite(path: path)),
                logger: RefAppTesting.logger,
                onReady: { continuation.yield($0) }
            )
            try await app.test(.live) { client in
                let port = try #require(client.port)
                var iterator = lines.makeAsyncIterator()
                let line = await iterator.next()
                #expect(line == "stacklab-refapp listening on http://127.0.0.1:\(port) (sqlite \(path))")
                // Ready means seeded: the table is complete when the line appears.
                #expect(try await SQLiteWorldStore(path: path).worldCount() == 10_000)
            }
        }
    }

    @Test(arguments: ["/db", "/queries?queries=3", "/updates?queries=3"])
    func databaseFailureIsA500WithABody(uri: String) async throws {
        var quiet = RefAppTesting.logger
        quiet.logLevel = .critical  // the middleware logs the failure at .error; that is expected here
        let app = Application(router: RefAppRoutes.router(store: FailingWorldStore()), logger: quiet)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .internalServerError)
            #expect(RefAppTesting.text(response) == "500 Internal Server Error")
            #expect(response.headers[.contentType] == textContentType)
            #expect(response.headers[.contentLength] == String(response.body.readableBytes))
        }
    }
}

/// A store whose database is gone.
private struct FailingWorldStore: WorldStore {
    struct Gone: Error {}

    func prepare() async throws { throw Gone() }
    func randomWorld() async throws -> World { throw Gone() }
    func randomWorlds(count: Int) async throws -> [World] { throw Gone() }
    func updateWorlds(count: Int) async throws -> [World] { throw Gone() }
    func world(id: Int) async throws -> World? { throw Gone() }
    func worldCount() async throws -> Int { throw Gone() }
}
