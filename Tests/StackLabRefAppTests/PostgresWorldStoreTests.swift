import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import StackLabRefApp
import Testing

/// The PostgreSQL store against a real server: runs only when `STACKLAB_TEST_POSTGRES_URL` names one,
/// e.g. `postgres://postgres@127.0.0.1:5432/stacklab_test`. The tests create and seed `World` there.
@Suite(
    .enabled(
        if: PostgresTesting.url != nil,
        "set STACKLAB_TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1:5432/db to test against a PostgreSQL server"
    ),
    .serialized
)
struct PostgresWorldStoreTests {
    @Test func prepareSeedsAndReadsStayInRange() async throws {
        try await PostgresTesting.withStore { store in
            try await store.prepare()
            #expect(try await store.worldCount() == 10_000)
            let one = try await store.randomWorld()
            #expect(World.ids.contains(one.id))
            #expect(try await store.world(id: one.id) == one)
            let many = try await store.randomWorlds(count: 20)
            #expect(many.count == 20)
            #expect(many.allSatisfy { World.ids.contains($0.id) && World.randomNumbers.contains($0.randomNumber) })
            #expect(try await store.world(id: 10_001) == nil)
        }
    }

    @Test func updatesPersistTheReturnedValues() async throws {
        try await PostgresTesting.withStore { store in
            try await store.prepare()
            let updated = try await store.updateWorlds(count: 500)
            #expect(updated.count == 500)
            #expect(Set(updated.map(\.id)).count == 500)
            for world in updated {
                #expect(try await store.world(id: world.id) == world)
            }
            let again = try await store.updateWorlds(count: 1)
            #expect(try await store.world(id: again[0].id) == again[0])
        }
    }

    @Test func appServesFromPostgres() async throws {
        let url = try PostgresURL(parsing: try #require(PostgresTesting.url))
        let configuration = RefAppConfiguration(port: 0, database: .postgres(url))
        let app = try RefApp.buildApplication(configuration: configuration, logger: RefAppTesting.logger)
        let updated = try await app.test(.live) { client in
            let db = try await client.execute(uri: "/db", method: .get)
            #expect(db.status == .ok)
            expectStandardHeaders(db, contentType: jsonContentType)
            #expect(World.ids.contains(try RefAppTesting.decode(World.self, from: db).id))

            let queries = try await client.execute(uri: "/queries?queries=501", method: .get)
            #expect(try RefAppTesting.decode([World].self, from: queries).count == 500)

            let updates = try await client.execute(uri: "/updates?queries=20", method: .get)
            #expect(updates.status == .ok)
            return try RefAppTesting.decode([World].self, from: updates)
        }
        #expect(updated.count == 20)
        try await PostgresTesting.withStore { store in
            #expect(try await store.worldCount() == 10_000)
            for world in updated {
                let stored = try await store.world(id: world.id)
                #expect(stored == world)
            }
        }
    }
}

enum PostgresTesting {
    static let url = ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A running `PostgresClient` for the test URL, wrapped in a store; the client stops when `body` returns.
    static func withStore(_ body: @Sendable (PostgresWorldStore) async throws -> Void) async throws {
        let url = try PostgresURL(parsing: try #require(url))
        let client = PostgresClient(
            configuration: url.clientConfiguration(maximumConnections: 4),
            backgroundLogger: RefAppTesting.logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(PostgresWorldStore(client: client, logger: RefAppTesting.logger))
        }
    }
}
