import Foundation
import Testing

@testable import StackLabDiscovery

struct GitHubClientTests {
    static func client(_ server: FakeGitHub) -> (GitHubClient, String) {
        let directory = NSTemporaryDirectory() + "stacklab-github-\(UUID().uuidString)"
        var client = GitHubClient(baseURL: server.baseURL, token: nil, cache: GitHubCache(directory: directory))
        client.statisticsRetryDelay = .milliseconds(10)
        return (client, directory)
    }

    static let now = ISO8601DateFormatter().date(from: "2026-12-01T00:00:00Z")!

    @Test func activityFollowsPaginationAndARepeatedRunIsAnsweredFromTheCache() async throws {
        let server = try await FakeGitHub()
        let (client, directory) = Self.client(server)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await client.activity(of: "acme/gateway", now: Self.now)
        #expect(first.stars == 4200)
        // Two pages of releases, one of them in the last 90 days.
        #expect(first.releasesIn90Days == 1)
        // Stars given since 2026-09-02: the last page of stargazers and the one before, read back.
        #expect(first.newStars == 3 && !first.newStarsIsLowerBound)
        // Commit activity was "computing" (202) on the first ask: asked again, 4 + 12 commits since 2026-09-02.
        #expect(first.commits == 16)
        #expect(first.contributors == 1)
        #expect(first.requests == 9 && first.cachedRequests == 0)
        #expect(first.rateLimit?.remaining == 57 && first.rateLimit?.limit == 60)
        #expect(server.requests.map(\.status).filter { $0 == 202 }.count == 1)
        let second = try await client.activity(of: "acme/gateway", now: Self.now)
        var expected = first
        (expected.requests, expected.cachedRequests) = (8, 8)
        expected.rateLimit = second.rateLimit
        #expect(second == expected)
        #expect(server.requests.suffix(8).allSatisfy { $0.status == 304 })
        try await server.close()
    }

    @Test func starGrowthPast40000StarsIsUnknownNotZero() async throws {
        let server = try await FakeGitHub()
        let (client, directory) = Self.client(server)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let activity = try await client.activity(of: "acme/huge", now: Self.now)
        // GitHub lists only the first 40,000 stargazers, the oldest: the list is not asked for.
        #expect(activity.stars == 50_000 && activity.newStars == nil)
        #expect(!server.requests.contains { $0.path.contains("stargazers") })
        #expect(activity.summary.hasPrefix("50000 stars (growth unknown), 0 commits by 0 contributor(s)"))
        #expect(
            Traction(
                item: .init(name: "x", listings: [.init(name: "x", category: "c", subcategory: "s")]),
                newer: Landscape(categories: [], listings: []), older: nil
            ).adding(activity).newStars == nil)
        try await server.close()
    }

    @Test func statisticsStillComputingFallBackToTheCommitsList() async throws {
        let server = try await FakeGitHub()
        var (client, directory) = Self.client(server)
        client.statisticsAttempts = 2
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let activity = try await client.activity(of: "acme/busy", now: Self.now)
        #expect(activity.commits == 3 && activity.contributors == 2)
        #expect(activity.newStars == 0)
        // Each statistic asked twice (202 both times), then one page of /commits?since=.
        #expect(server.requests.count { $0.status == 202 } == 4)
        #expect(server.requests.contains { $0.path.hasPrefix("/repos/acme/busy/commits?since=2026-09-02") })
        try await server.close()
    }

    @Test func aRateLimitIsReportedWithItsHeaders() async throws {
        let server = try await FakeGitHub()
        let (client, directory) = Self.client(server)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = await #expect(throws: GitHubError.self) { try await client.page("/repos/limited/x") }
        #expect(error?.reason == .rateLimited)
        #expect(error?.rateLimit?.remaining == 0)
        #expect(error?.message.contains("0 of 60 requests left") == true)
        // A 403 with requests left is a refusal, not a rate limit.
        let refused = await #expect(throws: GitHubError.self) { try await client.page("/repos/forbidden/x") }
        #expect(refused?.reason == .status(403))
        #expect(refused?.message.hasSuffix("Resource not accessible by integration") == true)
        try await server.close()
    }

    @Test func noServerIsUnreachableNotFatal() async throws {
        let client = GitHubClient(
            baseURL: "http://127.0.0.1:9", token: nil, cache: GitHubCache(directory: NSTemporaryDirectory() + "none"),
            timeout: .seconds(1))
        let error = await #expect(throws: GitHubError.self) { try await client.page("/repos/acme/gateway") }
        #expect(error?.reason == .unreachable)
    }

    @Test func linkHeaderGivesTheNextPage() {
        let header = #"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last""#
        #expect(GitHubClient.nextLink(header) == "https://api.github.com/x?page=2")
        #expect(GitHubClient.nextLink(#"<https://api.github.com/x?page=1>; rel="prev""#) == nil)
        #expect(GitHubActivity.repository(of: "https://github.com/envoyproxy/gateway") == "envoyproxy/gateway")
    }
}

struct GitHubTractionTests {
    /// `Suggester.addingGitHub` against `server`, over one gateway suggestion per (name, GitHub repository).
    static func enriched(
        _ repositories: [(name: String, repository: String)], server: FakeGitHub
    ) async -> (suggestions: [Suggestion], notes: [String]) {
        let (client, directory) = GitHubClientTests.client(server)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let landscape = Landscape(
            categories: [],
            listings: repositories.map {
                .init(
                    name: $0.name, category: "O", subcategory: "API Gateway",
                    repoURL: "https://github.com/\($0.repository)")
            })
        let suggestions = landscape.items.map { item in
            Suggestion(
                action: .add, name: item.name, area: .traffic, maturity: nil,
                traction: Traction(item: item, newer: landscape, older: nil), reason: "r", evidence: [], example: nil,
                isNew: false, homepageURL: nil, description: nil)
        }
        return await Suggester.addingGitHub(to: suggestions, newer: landscape, client: client, limit: 10)
    }

    @Test func suggestionsGainGitHubTermsAndARateLimitStopsTheQueriesWithANote() async throws {
        let server = try await FakeGitHub()
        let (enriched, notes) = await Self.enriched(
            [("Acme", "acme/gateway"), ("Limited", "limited/x"), ("Later", "acme/later")], server: server)
        #expect(enriched[0].traction.stars == log10(4201) / 2)
        // Each GitHub term is shown in the formula; the 90-day figures are counted against today's date here, so
        // only their presence is checked.
        let formula = enriched[0].traction.formula
        for term in ["+ stars 1.8", "+ new stars ", "+ commits ", "+ contributors ", "+ releases "] {
            #expect(formula.contains(term), "\(term) in \(formula)")
        }
        #expect(enriched[0].traction.commits != nil && enriched[0].traction.newStars != nil)
        #expect(enriched[0].evidence.first?.hasPrefix("GitHub acme/gateway: 4200 stars (+") == true)
        // The rate limit stops the queries: the rest keep the snapshots' traction, and the notes say why.
        #expect(enriched[1].traction.stars == nil && enriched[2].traction.stars == nil)
        #expect(notes.count == 2)
        #expect(notes[0].hasPrefix("GitHub: 1 repositories, 9 requests, 0 answered from the cache; 57 of 60"))
        #expect(notes[1].contains("rate limit reached") && notes[1].hasSuffix("from the snapshots only"))
        try await server.close()
    }

    @Test func fewRequestsLeftStopTheQueriesBeforeTheRateLimitIsHit() async throws {
        // GitHub says 11 requests are left after the first repository: fewer than a repository may cost.
        let server = try await FakeGitHub(remaining: 11)
        let (enriched, notes) = await Self.enriched(
            [("gateway", "acme/gateway"), ("busy", "acme/busy")], server: server)
        #expect(enriched[0].traction.stars != nil && enriched[1].traction.stars == nil)
        #expect(!server.requests.contains { $0.path.hasPrefix("/repos/acme/busy") })
        #expect(notes.last?.hasPrefix("GitHub rate limit nearly used (11 of 60 requests left") == true)
        try await server.close()
    }
}
