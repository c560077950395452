import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// App facts and build timings round-trip through the store (migration v3-app-facts).
struct AppFactsStoreTests {
    @Test func appFactsAndBuildsComeBackAsWritten() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-\(UUID().uuidString).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteResultsStore(path: path)
        let record = try RunRecordFixture.record()
        try await store.beginRun(record)
        #expect(try await store.run(id: record.id)?.apps == nil, "a run without apps has none")

        var go = AppFacts(variant: "go", component: "app", runtime: .go)
        go.coldStartSeconds = [0.012345, 0.011001, 0.013999]
        go.artifactBytes = 9_171_104
        go.idleRSSBytes = 8_306_688
        go.cleanBuild = AppBuildRecord(
            runtime: .go, clean: true, seconds: 2.5, builtAt: "2026-11-29T05:00:00Z", appsDirectory: "/apps")
        go.notes = ["a note"]
        let dotnet = AppFacts(variant: "dotnet", component: "app", runtime: .dotnet, notInstalled: "no dotnet")
        try await store.addAppFacts([dotnet, go], toRun: record.id)
        #expect(try await store.run(id: record.id)?.apps == [dotnet, go])

        #expect(try await store.latestAppBuild(.go, clean: true) == nil)
        for (seconds, date) in [(3.0, "2026-11-28T00:00:00Z"), (2.0, "2026-11-29T00:00:00Z")] {
            try await store.recordAppBuild(
                AppBuildRecord(runtime: .go, clean: true, seconds: seconds, builtAt: date, appsDirectory: "/apps"))
        }
        #expect(try await store.latestAppBuild(.go, clean: true)?.seconds == 2.0)
        #expect(try await store.latestAppBuild(.go, clean: false) == nil)
        #expect(try await store.latestAppBuild(.rust, clean: true) == nil)
    }

    @Test func aRunRecordWithoutAppsDecodes() throws {
        let record = try RunRecordFixture.record()
        var json = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any])
        json.removeValue(forKey: "apps")
        let decoded = try JSONDecoder().decode(RunRecord.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.apps == nil)
        #expect(decoded.id == record.id)
    }
}

/// A v2 store gains the app tables with its runs intact.
struct AppFactsMigrationTests {
    @Test func aVersion2StoreMigratesToAppFacts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let v2 = try DatabaseQueue(path: directory.storePath)
        try StoreSchema.migrator.migrate(v2, upTo: "v2")
        #expect(try await v2.read { try $0.tableExists("app_facts") } == false)
        try v2.close()

        let store = try SQLiteResultsStore(path: directory.storePath)
        let record = try RunRecordFixture.record()
        try await store.beginRun(record)
        let facts = AppFacts(variant: "direct", component: "app", runtime: .swift)
        try await store.addAppFacts([facts], toRun: record.id)
        #expect(try await store.run(id: record.id)?.apps == [facts])
    }
}
