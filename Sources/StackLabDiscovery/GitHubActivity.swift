import Foundation

/// What GitHub says about a repository: stars, and releases and contributors of the recent past.
public struct GitHubActivity: Sendable, Equatable {
    public var stars: Int
    public var releasesIn90Days: Int
    /// Requests GitHub answered from our cache (304) out of all made.
    public var cachedRequests: Int
    public var requests: Int
    public var rateLimit: GitHubRateLimit?

    /// `owner/name` of a `https://github.com/owner/name` URL.
    public static func repository(of url: String?) -> String? {
        guard let url, let range = url.range(of: "github.com/") else { return nil }
        let parts = url[range.upperBound...].split(separator: "/").prefix(2)
        guard parts.count == 2 else { return nil }
        return parts.map(String.init).joined(separator: "/").replacingOccurrences(of: ".git", with: "")
    }
}

extension GitHubClient {
    /// Stars (`/repos/{repo}`) and releases published in the 90 days before `now` (`/repos/{repo}/releases`).
    public func activity(of repository: String, now: Date = Date()) async throws -> GitHubActivity {
        let info = try await page("/repos/\(repository)")
        let object = (try? JSONSerialization.jsonObject(with: info.body) as? [String: Any]) ?? [:]
        let releases = try await all("/repos/\(repository)/releases?per_page=100", maxPages: 3)
        let since = now.addingTimeInterval(-90 * 86_400)
        let formatter = ISO8601DateFormatter()
        let recent = releases.items.count { release in
            (release["published_at"] as? String).flatMap(formatter.date(from:)).map { $0 >= since } ?? false
        }
        let pages = [info] + releases.pages
        return GitHubActivity(
            stars: object["stargazers_count"] as? Int ?? 0, releasesIn90Days: recent,
            cachedRequests: pages.count(where: \.fromCache), requests: pages.count,
            rateLimit: pages.last?.rateLimit ?? info.rateLimit)
    }
}
