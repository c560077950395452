import Foundation

/// What GitHub says about a repository: its stars, and its stars, commits, contributors and releases of the 90
/// days before the query. A figure GitHub could not give (a statistic still being computed) is `nil`.
public struct GitHubActivity: Sendable, Equatable {
    public var stars: Int
    /// Stars given in the last 90 days (`starred_at` of the stargazers list, read from the newest page back).
    public var newStars: Int?
    /// True when `newStars` stopped at the page limit: at least that many.
    public var newStarsIsLowerBound = false
    /// Commits of the last 90 days (`/stats/commit_activity`, else `/commits?since=`).
    public var commits: Int?
    /// Authors with a commit in the last 90 days (`/stats/contributors`, else `/commits?since=`).
    public var contributors: Int?
    public var releasesIn90Days: Int
    /// Requests GitHub answered from our cache (304) out of all made.
    public var cachedRequests: Int
    public var requests: Int
    public var rateLimit: GitHubRateLimit?

    public init(
        stars: Int, newStars: Int? = nil, commits: Int? = nil, contributors: Int? = nil, releasesIn90Days: Int,
        cachedRequests: Int = 0, requests: Int = 0, rateLimit: GitHubRateLimit? = nil
    ) {
        self.stars = stars
        self.newStars = newStars
        self.commits = commits
        self.contributors = contributors
        self.releasesIn90Days = releasesIn90Days
        self.cachedRequests = cachedRequests
        self.requests = requests
        self.rateLimit = rateLimit
    }

    /// `owner/name` of a `https://github.com/owner/name` URL.
    public static func repository(of url: String?) -> String? {
        guard let url, let range = url.range(of: "github.com/") else { return nil }
        let parts = url[range.upperBound...].split(separator: "/").prefix(2)
        guard parts.count == 2 else { return nil }
        return parts.map(String.init).joined(separator: "/").replacingOccurrences(of: ".git", with: "")
    }

    /// `4200 stars (+3 in 90 days), 12 commits by 2 contributors, 1 release(s) in 90 days`.
    public var summary: String {
        let growth =
            newStars.map { " (+\($0)\(newStarsIsLowerBound ? " or more" : "") in 90 days)" } ?? " (growth unknown)"
        let work =
            switch (commits, contributors) {
            case (let commits?, let contributors?): "\(commits) commits by \(contributors) contributor(s)"
            case (let commits?, nil): "\(commits) commits (contributors unknown)"
            case (nil, let contributors?): "\(contributors) contributor(s) (commits unknown)"
            case (nil, nil): "commits and contributors unknown (GitHub still computing)"
            }
        return "\(stars) stars\(growth), \(work), \(releasesIn90Days) release(s) in 90 days"
    }
}
