import Foundation

/// A fresh temporary directory for a test's SQLite file, removed when the test is done.
struct TemporaryDirectory {
    let url: URL

    static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-refapp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(TemporaryDirectory(url: url))
    }

    var databasePath: String { url.appendingPathComponent("world.sqlite").path }
}
