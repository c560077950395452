import StackLabRefApp
import Testing

struct SQLiteWorldStoreTests {
    @Test func prepareSeedsTenThousandRowsInRange() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteWorldStore(path: directory.databasePath)
            try await store.prepare()
            #expect(try await store.worldCount() == 10_000)
            for id in [1, 2, 5_000, 9_999, 10_000] {
                let world = try #require(try await store.world(id: id))
                #expect(World.randomNumbers.contains(world.randomNumber))
            }
            #expect(try await store.world(id: 0) == nil)
            #expect(try await store.world(id: 10_001) == nil)
        }
    }

    @Test func prepareKeepsAnExistingTable() async throws {
        try await TemporaryDirectory.with { directory in
            let first = try SQLiteWorldStore(path: directory.databasePath)
            try await first.prepare()
            let updated = try await first.updateWorlds(count: 5)

            let second = try SQLiteWorldStore(path: directory.databasePath)
            try await second.prepare()
            #expect(try await second.worldCount() == 10_000)
            for world in updated {
                #expect(try await second.world(id: world.id) == world)
            }
        }
    }

    @Test func randomReadsStayInRange() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteWorldStore(path: directory.databasePath)
            try await store.prepare()
            let one = try await store.randomWorld()
            #expect(World.ids.contains(one.id))
            let many = try await store.randomWorlds(count: 500)
            #expect(many.count == 500)
            #expect(many.allSatisfy { World.ids.contains($0.id) && World.randomNumbers.contains($0.randomNumber) })
            #expect(Set(many.map(\.id)).count > 1, "500 reads are not all the same row")
        }
    }

    @Test func updatesPersistAndChangeEveryRow() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteWorldStore(path: directory.databasePath)
            try await store.prepare()
            let updated = try await store.updateWorlds(count: 500)
            #expect(updated.count == 500)
            #expect(Set(updated.map(\.id)).count == 500)
            for world in updated {
                #expect(try await store.world(id: world.id) == world)
            }
        }
    }

    @Test func unusablePathIsAnError() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.url.appendingPathComponent("missing/dir/world.sqlite").path
            let error = #expect(throws: RefAppError.self) { try SQLiteWorldStore(path: path) }
            #expect(error?.message.contains(path) == true)
        }
    }
}
