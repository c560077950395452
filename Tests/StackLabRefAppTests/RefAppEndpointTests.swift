import Hummingbird
import HummingbirdTesting
import StackLabRefApp
import Testing

/// The standard app API over HTTP, on a live server with a SQLite file.
struct RefAppEndpointTests {
    @Test func plaintextSaysHello() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/plaintext", method: .get)
            #expect(response.status == .ok)
            #expect(RefAppTesting.text(response) == "Hello, World!")
            expectStandardHeaders(response, contentType: textContentType)
        }
    }

    @Test func jsonIsTheMessageObject() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/json", method: .get)
            #expect(response.status == .ok)
            #expect(RefAppTesting.text(response) == #"{"message":"Hello, World!"}"#)
            expectStandardHeaders(response, contentType: jsonContentType)
        }
    }

    @Test func dbIsOneRowObject() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/db", method: .get)
            #expect(response.status == .ok)
            expectStandardHeaders(response, contentType: jsonContentType)
            // An object with exactly these two keys, not an array of one.
            let fields = try RefAppTesting.decode([String: Int].self, from: response)
            #expect(Set(fields.keys) == ["id", "randomNumber"])
            let world = try RefAppTesting.decode(World.self, from: response)
            #expect(World.ids.contains(world.id))
            #expect(World.randomNumbers.contains(world.randomNumber))
        }
    }

    @Test func dbAnswersWhatTheTableHolds() async throws {
        try await RefAppTesting.withLiveApp { client, store in
            for _ in 0..<10 {
                let response = try await client.execute(uri: "/db", method: .get)
                let world = try RefAppTesting.decode(World.self, from: response)
                #expect(try await store.world(id: world.id) == world)
            }
        }
    }

    @Test(
        arguments: [
            ("/queries", 1), ("/queries?queries=", 1), ("/queries?queries=0", 1), ("/queries?queries=-3", 1),
            ("/queries?queries=foo", 1), ("/queries?queries=2", 2), ("/queries?queries=20", 20),
            ("/queries?queries=500", 500), ("/queries?queries=501", 500),
            ("/queries?queries=99999999999999999999", 500),
        ] as [(String, Int)])
    func queriesClampsItsCount(uri: String, rows: Int) async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            expectStandardHeaders(response, contentType: jsonContentType)
            let worlds = try RefAppTesting.decode([World].self, from: response)
            #expect(worlds.count == rows)
            #expect(worlds.allSatisfy { World.ids.contains($0.id) && World.randomNumbers.contains($0.randomNumber) })
        }
    }

    @Test func queriesRowsAreKeyedLikeDb() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/queries?queries=3", method: .get)
            let rows = try RefAppTesting.decode([[String: Int]].self, from: response)
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { Set($0.keys) == ["id", "randomNumber"] })
        }
    }

    @Test func updatesWritesTheValuesItReturns() async throws {
        try await RefAppTesting.withLiveApp { client, store in
            var before: [Int: Int] = [:]
            for id in World.ids { before[id] = try await store.world(id: id)?.randomNumber }

            let response = try await client.execute(uri: "/updates?queries=20", method: .get)
            #expect(response.status == .ok)
            expectStandardHeaders(response, contentType: jsonContentType)
            let updated = try RefAppTesting.decode([World].self, from: response)
            #expect(updated.count == 20)
            #expect(Set(updated.map(\.id)).count == 20, "each id is updated once")

            for world in updated {
                #expect(World.randomNumbers.contains(world.randomNumber))
                #expect(world.randomNumber != before[world.id], "row \(world.id) did not change")
                #expect(try await store.world(id: world.id) == world, "row \(world.id) reads back differently")
            }
            var changed = 0
            for id in World.ids {
                if try await store.world(id: id)?.randomNumber != before[id] { changed += 1 }
            }
            #expect(changed == 20, "only the returned rows change")
            #expect(try await store.worldCount() == World.tableSize)
        }
    }

    @Test(
        arguments: [
            ("/updates", 1), ("/updates?queries=foo", 1), ("/updates?queries=0", 1), ("/updates?queries=501", 500),
        ] as [(String, Int)])
    func updatesClampsItsCount(uri: String, rows: Int) async throws {
        try await RefAppTesting.withLiveApp { client, store in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            let updated = try RefAppTesting.decode([World].self, from: response)
            #expect(updated.count == rows)
            for world in updated.prefix(5) {
                #expect(try await store.world(id: world.id) == world)
            }
        }
    }

    @Test func healthIsOK() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(RefAppTesting.text(response) == "ok")
            expectStandardHeaders(response, contentType: textContentType)
        }
    }

    /// Istio's latency method asks for 1 KiB responses: exactly N bytes of `x`, text, for N from 0 to 1 MiB.
    @Test(arguments: [1024, 0, 1, 1_048_576])
    func bytesAnswersExactlyNBytes(count: Int) async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/bytes/\(count)", method: .get)
            #expect(response.status == .ok)
            #expect(RefAppTesting.text(response) == String(repeating: "x", count: count))
            expectStandardHeaders(response, contentType: textContentType)
        }
    }

    @Test(arguments: ["/", "/nope", "/json/extra", "/db2", "/bytes/1048577", "/bytes/1k", "/bytes/-1", "/bytes/"])
    func unknownPathIsNotFound(uri: String) async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .notFound)
            #expect(RefAppTesting.text(response) == "404 Not Found")
            expectStandardHeaders(response, contentType: textContentType)
        }
    }

    @Test func otherMethodsAreNotFound() async throws {
        try await RefAppTesting.withLiveApp { client, _ in
            let response = try await client.execute(uri: "/json", method: .post)
            #expect(response.status == .notFound)
            expectStandardHeaders(response, contentType: textContentType)
        }
    }
}
