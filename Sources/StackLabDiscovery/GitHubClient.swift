import AsyncHTTPClient
import Foundation
import NIOCore

/// A small client of GitHub's REST API: conditional requests with the ETag of a local cache, the rate-limit
/// headers read from every answer (and a 403/429 with none left reported as such), `Link` pagination.
public struct GitHubClient: Sendable {
    /// The answer to one page, from the network or, after a 304, from the cache.
    public struct Page: Sendable {
        public var body: Data
        public var next: String?
        public var fromCache: Bool
        public var rateLimit: GitHubRateLimit?
        /// The `Link` header: `next`, `prev`, `last` pages.
        public var link: String? = nil
        /// 202 when GitHub is still computing a statistic (`/stats/*`): ask again later.
        public var status: Int = 200

        /// The URL of the page with this `rel` (`next`, `prev`, `last`) in the `Link` header.
        public func url(rel: String) -> String? { link.flatMap { GitHubClient.link($0, rel: rel) } }
    }

    /// GitHub's default media type; the stargazers list takes `application/vnd.github.star+json` to add
    /// `starred_at`.
    public static let jsonMediaType = "application/vnd.github+json"

    public var baseURL: String
    public var token: String?
    public var cache: GitHubCache
    /// How long a request may take, connecting included.
    public var timeout: Duration
    /// Pages of the stargazers list read back from the newest, per repository.
    public var maxStarPages = 5
    /// How often a `/stats/*` statistic is asked for while GitHub answers 202 (computing), and the wait between.
    public var statisticsAttempts = 3
    public var statisticsRetryDelay: Duration = .seconds(2)

    /// `token` defaults to `GITHUB_TOKEN` from the environment; without one GitHub allows 60 requests an hour.
    public init(
        baseURL: String = "https://api.github.com",
        token: String? = ProcessInfo.processInfo.environment["GITHUB_TOKEN"],
        cache: GitHubCache = .standard(), timeout: Duration = .seconds(10)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.cache = cache
        self.timeout = timeout
    }

    /// One page of `pathOrURL` (`/repos/envoyproxy/envoy`, or a full URL from a `Link` header).
    /// `accept` is the media type asked for; a 202 (a statistic being computed) is returned, not cached.
    public func page(_ pathOrURL: String, accept: String = jsonMediaType) async throws -> Page {
        let url = pathOrURL.hasPrefix("http") ? pathOrURL : baseURL + pathOrURL
        let cacheKey = accept == Self.jsonMediaType ? url : "\(url) \(accept)"
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "stacklab")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let cached = cache.entry(for: cacheKey)
        if let cached { request.headers.add(name: "If-None-Match", value: cached.etag) }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(
                request,
                timeout: .nanoseconds(
                    Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        } catch {
            throw GitHubError(reason: .unreachable, message: "GitHub cannot be reached (\(url)): \(error)")
        }
        let headers = response.headers
        let rateLimit = GitHubRateLimit { headers.first(name: $0) }
        let body = Data(try await response.body.collect(upTo: 32 << 20).readableBytesView)
        switch response.status.code {
        case 304:
            guard let cached else {
                throw GitHubError(reason: .status(304), message: "GitHub answered 304 for \(url) with nothing cached")
            }
            return Page(
                body: cached.body, next: cached.next, fromCache: true, rateLimit: rateLimit, link: cached.link)
        case 202:
            return Page(body: body, next: nil, fromCache: false, rateLimit: rateLimit, status: 202)
        case 200..<300:
            let link = headers.first(name: "link")
            let next = link.flatMap(Self.nextLink)
            if let etag = headers.first(name: "etag") {
                cache.store(.init(etag: etag, body: body, next: next, link: link), for: cacheKey)
            }
            return Page(body: body, next: next, fromCache: false, rateLimit: rateLimit, link: link)
        case 403 where Self.isRateLimited(rateLimit, retryAfter: headers.first(name: "retry-after")),
            429 where Self.isRateLimited(rateLimit, retryAfter: headers.first(name: "retry-after")):
            let limit = rateLimit.map { ": \($0.description)" } ?? ""
            throw GitHubError(
                reason: .rateLimited, message: "GitHub rate limit reached\(limit); set GITHUB_TOKEN or wait",
                rateLimit: rateLimit)
        default:
            let message = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["message"] as? String
            throw GitHubError(
                reason: .status(Int(response.status.code)),
                message: "GitHub answered \(response.status.code) for \(url)\(message.map { ": \($0)" } ?? "")",
                rateLimit: rateLimit)
        }
    }

    /// Every element of a paginated list, following `Link: <...>; rel="next"` up to `maxPages` pages.
    public func all(_ path: String, maxPages: Int = 10) async throws -> (items: [[String: Any]], pages: [Page]) {
        var items: [[String: Any]] = []
        var pages: [Page] = []
        var next: String? = path
        while let url = next, pages.count < maxPages {
            let page = try await self.page(url)
            pages.append(page)
            items += (try? JSONSerialization.jsonObject(with: page.body) as? [[String: Any]]) ?? []
            next = page.next
        }
        return (items, pages)
    }

    /// A 403 or 429 is a rate limit when no requests are left or GitHub asks to retry later (secondary limits);
    /// otherwise it is an ordinary refusal.
    static func isRateLimited(_ rateLimit: GitHubRateLimit?, retryAfter: String?) -> Bool {
        rateLimit?.remaining == 0 || retryAfter != nil
    }

    /// The `rel="next"` URL of a `Link` header.
    static func nextLink(_ header: String) -> String? { link(header, rel: "next") }

    /// The URL with this `rel` in a `Link` header.
    static func link(_ header: String, rel: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count >= 2, pieces.dropFirst().contains(where: { $0 == "rel=\"\(rel)\"" }),
                pieces[0].hasPrefix("<"), pieces[0].hasSuffix(">")
            else { continue }
            return String(pieces[0].dropFirst().dropLast())
        }
        return nil
    }
}
