extension Suggester {
    /// The most requests one repository's activity may cost (pages of stargazers, statistics asked again while
    /// GitHub computes them): fewer left in the rate limit and the queries stop.
    public static let requestsPerRepository = 12

    /// The suggestions with GitHub's terms (stars, and stars given, commits, contributors and releases of the
    /// last 90 days) added to their traction, for at most `limit` of them (each costs about eight requests, and
    /// GitHub allows 60 an hour without a token).
    ///
    /// The first failure stops the queries, and so does a rate limit with fewer requests left than a repository
    /// may cost (``requestsPerRepository``): the rest keep the snapshots' traction, and `notes` says why.
    public static func addingGitHub(
        to suggestions: [Suggestion], newer: Landscape, client: GitHubClient, limit: Int
    ) async -> (suggestions: [Suggestion], notes: [String]) {
        var result = suggestions
        var notes: [String] = []
        var queried = 0
        var requests = 0
        var cached = 0
        var rateLimit: GitHubRateLimit?
        for index in result.indices where queried < limit {
            guard let repository = GitHubActivity.repository(of: newer[result[index].name]?.repoURL) else { continue }
            if let left = rateLimit, left.remaining < requestsPerRepository {
                notes.append(
                    "GitHub rate limit nearly used (\(left.description)): traction of the rest from the snapshots only")
                break
            }
            do {
                let activity = try await client.activity(of: repository)
                queried += 1
                requests += activity.requests
                cached += activity.cachedRequests
                rateLimit = activity.rateLimit ?? rateLimit
                result[index].traction = result[index].traction.adding(activity)
                result[index].evidence.append("GitHub \(repository): \(activity.summary)")
            } catch let error as GitHubError {
                notes.append("\(error.message): traction of the rest from the snapshots only")
                break
            } catch {
                notes.append("GitHub: \(error): traction of the rest from the snapshots only")
                break
            }
        }
        if queried > 0 {
            let left = rateLimit.map { "; \($0.description)" } ?? ""
            notes.insert(
                "GitHub: \(queried) repositories, \(requests) requests, \(cached) answered from the cache\(left)", at: 0
            )
        }
        return (result, notes)
    }
}
