import Foundation
import Testing

@testable import StackLabDiscovery

struct GitHubClientTests {
    static func client(_ server: FakeGitHub) -> (GitHubClient, String) {
        let directory = NSTemporaryDirectory() + "stacklab-github-\(UUID().uuidString)"
        return (GitHubClient(baseURL: server.baseURL, token: nil, cache: GitHubCache(directory: directory)), directory)
    }

    @Test func activityFollowsPaginationAndARepeatedRunIsAnsweredFromTheCache() async throws {
        let server = try await FakeGitHub()
        let (client, directory) = Self.client(server)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = ISO8601DateFormatter().date(from: "2026-12-01T00:00:00Z")!
        let first = try await client.activity(of: "acme/gateway", now: now)
        #expect(first.stars == 4200)
        // Two pages of releases, one of them in the last 90 days.
        #expect(first.releasesIn90Days == 1)
        #expect(first.requests == 3 && first.cachedRequests == 0)
        #expect(first.rateLimit?.remaining == 57 && first.rateLimit?.limit == 60)
        let second = try await client.activity(of: "acme/gateway", now: now)
        #expect(
            second
                == GitHubActivity(
                    stars: 4200, releasesIn90Days: 1, cachedRequests: 3, requests: 3, rateLimit: second.rateLimit))
        #expect(server.requests.map(\.status) == [200, 200, 200, 304, 304, 304])
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
    @Test func suggestionsGainGitHubTermsAndARateLimitStopsTheQueriesWithANote() async throws {
        let server = try await FakeGitHub()
        let directory = NSTemporaryDirectory() + "stacklab-github-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = GitHubClient(baseURL: server.baseURL, token: nil, cache: GitHubCache(directory: directory))
        let landscape = Landscape(
            categories: [],
            listings: [
                .init(
                    name: "Acme", category: "O", subcategory: "API Gateway", repoURL: "https://github.com/acme/gateway"),
                .init(
                    name: "Limited", category: "O", subcategory: "API Gateway", repoURL: "https://github.com/limited/x"),
                .init(
                    name: "Later", category: "O", subcategory: "API Gateway", repoURL: "https://github.com/acme/later"),
            ])
        let suggestions = landscape.items.map { item in
            Suggestion(
                action: .add, name: item.name, area: .traffic, maturity: nil,
                traction: Traction(item: item, newer: landscape, older: nil), reason: "r", evidence: [], example: nil,
                isNew: false, homepageURL: nil, description: nil)
        }
        let (enriched, notes) = await Suggester.addingGitHub(
            to: suggestions, newer: landscape, client: client, limit: 10)
        #expect(enriched[0].traction.stars == log10(4201) / 2)
        #expect(enriched[0].traction.formula.contains("+ stars 1.8"))
        // Releases are counted against today's date here, so only the stars are checked.
        #expect(enriched[0].evidence.first?.hasPrefix("GitHub acme/gateway: 4200 stars, ") == true)
        // The rate limit stops the queries: the rest keep the snapshots' traction, and the notes say why.
        #expect(enriched[1].traction.stars == nil && enriched[2].traction.stars == nil)
        #expect(notes.count == 2)
        #expect(notes[0].hasPrefix("GitHub: 1 repositories, 3 requests, 0 answered from the cache; 57 of 60"))
        #expect(notes[1].contains("rate limit reached") && notes[1].hasSuffix("from the snapshots only"))
        try await server.close()
    }
}
