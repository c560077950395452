import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A store file inside the directory (not created).
    var storePath: String { url.appendingPathComponent("stacklab.sqlite").path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
