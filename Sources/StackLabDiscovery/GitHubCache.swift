import Foundation
import StackLabCore

/// Responses of the GitHub API kept on disk with their ETag, so that a repeated run asks conditionally
/// and a 304 (which GitHub does not count against the rate limit) is answered from here.
public struct GitHubCache: Sendable {
    /// One cached response: its ETag, body and the next page's URL.
    public struct Entry: Codable, Sendable, Equatable {
        public var etag: String
        public var body: Data
        public var next: String?
        /// The whole `Link` header (`prev`, `last` as well); absent from entries of older versions.
        public var link: String?

        public init(etag: String, body: Data, next: String?, link: String? = nil) {
            self.etag = etag
            self.body = body
            self.next = next
            self.link = link
        }
    }

    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// `$STACKLAB_HOME/github-cache`, or `~/.stacklab/github-cache`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> GitHubCache {
        GitHubCache(
            directory: StackLabHome.directory(environment: environment).appendingPathComponent("github-cache").path)
    }

    public func entry(for url: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: path(for: url)) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: data)
    }

    /// Stores an entry; a cache that cannot be written only costs requests, so failures are ignored.
    public func store(_ entry: Entry, for url: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let data = try? JSONEncoder().encode(entry) {
            FileManager.default.createFile(atPath: path(for: url), contents: data)
        }
    }

    func path(for url: String) -> String {
        let name = String(url.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        return "\(directory)/\(name.suffix(200)).json"
    }
}
