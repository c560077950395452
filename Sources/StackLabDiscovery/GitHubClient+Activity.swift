import Foundation

extension GitHubClient {
    /// The requests one query made, for the count of requests and of cached answers.
    struct Requests {
        var pages: [Page] = []

        mutating func add(_ page: Page) -> Page {
            pages.append(page)
            return page
        }
    }

    /// Stars (`/repos/{repo}`), stars given (`/stargazers`), commits and contributors (`/stats/commit_activity`,
    /// `/stats/contributors`, or `/commits?since=` while GitHub computes them) and releases (`/releases`) of the
    /// 90 days before `now`.
    public func activity(of repository: String, now: Date = Date()) async throws -> GitHubActivity {
        var requests = Requests()
        let since = now.addingTimeInterval(-90 * 86_400)
        let info = requests.add(try await page("/repos/\(repository)"))
        let object = (try? JSONSerialization.jsonObject(with: info.body) as? [String: Any]) ?? [:]
        let stars = object["stargazers_count"] as? Int ?? 0
        // GitHub lists only the first 40,000 stargazers (oldest first): past that the newest cannot be read.
        let newStars =
            stars > Self.listedStargazers
            ? nil : try await starsGiven(to: repository, since: since, requests: &requests)
        var commits = try await commitsFromStatistics(of: repository, since: since, now: now, requests: &requests)
        var contributors = try await contributorsFromStatistics(of: repository, since: since, requests: &requests)
        if commits == nil || contributors == nil {
            let listed = try await commitsListed(in: repository, since: since, requests: &requests)
            commits = commits ?? listed.commits
            contributors = contributors ?? listed.authors
        }
        let releases = try await all("/repos/\(repository)/releases?per_page=100", maxPages: 3)
        requests.pages += releases.pages
        let recent = releases.items.count { Self.date($0["published_at"]).map { $0 >= since } ?? false }
        var activity = GitHubActivity(
            stars: stars, newStars: newStars?.count, commits: commits,
            contributors: contributors, releasesIn90Days: recent,
            cachedRequests: requests.pages.count(where: \.fromCache), requests: requests.pages.count,
            rateLimit: requests.pages.last?.rateLimit ?? info.rateLimit)
        activity.newStarsIsLowerBound = newStars?.isLowerBound ?? false
        return activity
    }

    /// The most stargazers GitHub's list shows (400 pages of 100).
    static let listedStargazers = 40_000

    /// Stars given since `since`: the stargazers list (oldest first) with `starred_at`, read from its last page
    /// back until a star older than `since`, at most `maxStarPages` pages (then a lower bound).
    func starsGiven(
        to repository: String, since: Date, requests: inout Requests
    ) async throws -> (count: Int, isLowerBound: Bool) {
        let accept = "application/vnd.github.star+json"
        var current = requests.add(try await page("/repos/\(repository)/stargazers?per_page=100", accept: accept))
        if let last = current.url(rel: "last") { current = requests.add(try await page(last, accept: accept)) }
        var count = 0
        var read = 1
        while true {
            let dates = Self.list(current.body).compactMap { Self.date($0["starred_at"]) }
            count += dates.count { $0 >= since }
            guard !dates.contains(where: { $0 < since }), let previous = current.url(rel: "prev") else {
                return (count, false)
            }
            guard read < maxStarPages else { return (count, true) }
            current = requests.add(try await page(previous, accept: accept))
            read += 1
        }
    }

    /// Commits of the weeks' days from `since` to `now` (`/stats/commit_activity`: 52 weeks of daily counts);
    /// nil while GitHub is still computing it.
    func commitsFromStatistics(
        of repository: String, since: Date, now: Date, requests: inout Requests
    ) async throws -> Int? {
        guard let weeks = try await statistics("/repos/\(repository)/stats/commit_activity", requests: &requests)
        else { return nil }
        var commits = 0
        for week in weeks {
            guard let start = (week["week"] as? NSNumber)?.doubleValue, let days = week["days"] as? [Int] else {
                continue
            }
            for (offset, count) in days.enumerated() {
                let day = Date(timeIntervalSince1970: start + Double(offset) * 86_400)
                if day >= since, day <= now { commits += count }
            }
        }
        return commits
    }

    /// Authors with a commit in a week that ends after `since` (`/stats/contributors`, the top 100 authors);
    /// nil while GitHub is still computing it.
    func contributorsFromStatistics(
        of repository: String, since: Date, requests: inout Requests
    ) async throws -> Int? {
        guard let authors = try await statistics("/repos/\(repository)/stats/contributors", requests: &requests)
        else { return nil }
        return authors.count { author in
            (author["weeks"] as? [[String: Any]] ?? []).contains { week in
                guard let start = (week["w"] as? NSNumber)?.doubleValue, let commits = week["c"] as? Int else {
                    return false
                }
                return commits > 0 && start + 7 * 86_400 > since.timeIntervalSince1970
            }
        }
    }

    /// A `/stats/*` list; GitHub answers 202 while it computes one, so it is asked again after
    /// `statisticsRetryDelay`, `statisticsAttempts` times in all, then given up (nil).
    func statistics(_ path: String, requests: inout Requests) async throws -> [[String: Any]]? {
        for attempt in 1...max(1, statisticsAttempts) {
            let answer = requests.add(try await page(path))
            if answer.status != 202 { return Self.list(answer.body) }
            if attempt < statisticsAttempts { try? await Task.sleep(for: statisticsRetryDelay) }
        }
        return nil
    }

    /// Commits since `since` and their distinct authors from `/commits?since=` (at most 3 pages of 100: a lower
    /// bound for busier repositories).
    func commitsListed(
        in repository: String, since: Date, requests: inout Requests
    ) async throws -> (commits: Int, authors: Int) {
        let stamp = ISO8601DateFormatter().string(from: since)
        let listed = try await all("/repos/\(repository)/commits?since=\(stamp)&per_page=100", maxPages: 3)
        requests.pages += listed.pages
        let authors = Set(
            listed.items.compactMap { commit -> String? in
                ((commit["author"] as? [String: Any])?["login"] as? String)
                    ?? (((commit["commit"] as? [String: Any])?["author"] as? [String: Any])?["email"] as? String)
            })
        return (listed.items.count, authors.count)
    }

    static func list(_ body: Data) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]) ?? []
    }

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap(ISO8601DateFormatter().date(from:))
    }
}
