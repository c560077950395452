import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local HTTP server answering as GitHub's REST API documents: an ETag on every 200 and 304 when
/// `If-None-Match` matches it, `x-ratelimit-*` headers, `Link` pagination of releases and stargazers (with
/// `starred_at` only for `Accept: application/vnd.github.star+json`), `/stats/*` answered 202 while "computing",
/// and a 403 with no requests left on `/repos/limited/*`.
///
/// `acme/gateway`: 3 stars given since 2026-09-02 (the last page and the one before, read back), commit
/// activity computed on the second ask (16 commits since 2026-09-02), one contributor active since.
/// `acme/busy`: statistics never ready, so the client falls back to `/commits?since=` (3 commits, 2 authors).
final class FakeGitHub: Sendable {
    let channel: Channel
    private let log = NIOLockedValueBox<[(path: String, status: Int)]>([])

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }
    /// Every request answered: path and status.
    var requests: [(path: String, status: Int)] { log.withLockedValue { $0 } }

    /// `remaining` is the `x-ratelimit-remaining` of every answer but those of `/repos/limited/*` (0).
    init(remaining: Int = 57) async throws {
        let log = self.log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log, remaining: remaining))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async throws { try await channel.close() }

    /// The body and ETag of each path, and its `Link` header; `seen` is how often the path was asked before.
    static func answer(
        path: String, base: String, accept: String, seen: Int
    ) -> (status: Int, body: String, link: String?) {
        let stars = "\(base)/repos/acme/gateway/stargazers?per_page=100"
        let starred = accept == "application/vnd.github.star+json"
        let star: (String) -> String = { starred ? #"{"starred_at": "\#($0)T12:00:00Z", "user": {}}"# : "{}" }
        switch path {
        case "/repos/acme/gateway/stargazers?per_page=100":
            return (200, "[\(star("2020-01-01"))]", "<\(stars)&page=2>; rel=\"next\", <\(stars)&page=3>; rel=\"last\"")
        case "/repos/acme/gateway/stargazers?per_page=100&page=2":
            return (200, "[\(star("2026-06-01")), \(star("2026-10-01"))]", "<\(stars)&page=1>; rel=\"prev\"")
        case "/repos/acme/gateway/stargazers?per_page=100&page=3":
            return (200, "[\(star("2026-11-01")), \(star("2026-11-20"))]", "<\(stars)&page=2>; rel=\"prev\"")
        case "/repos/acme/gateway/stats/commit_activity":
            guard seen > 0 else { return (202, "{}", nil) }
            return (
                200,
                #"[{"week": 1764460800, "total": 30, "days": [0, 5, 5, 5, 5, 10, 0]},"#
                    + #" {"week": 1788048000, "total": 7, "days": [1, 1, 1, 1, 1, 1, 1]},"#
                    + #" {"week": 1795305600, "total": 12, "days": [0, 2, 2, 2, 2, 4, 0]}]"#, nil
            )
        case "/repos/acme/gateway/stats/contributors":
            return (
                200,
                #"[{"author": {"login": "alice"}, "total": 5, "weeks": [{"w": 1795305600, "a": 1, "d": 1, "c": 5}]},"#
                    + #" {"author": {"login": "bob"}, "total": 3, "weeks": [{"w": 1736035200, "a": 1, "d": 1, "c": 3},"#
                    + #" {"w": 1795305600, "a": 0, "d": 0, "c": 0}]}]"#, nil
            )
        case "/repos/acme/huge":
            return (200, #"{"full_name": "acme/huge", "stargazers_count": 50000}"#, nil)
        case "/repos/acme/huge/stats/commit_activity", "/repos/acme/huge/stats/contributors",
            "/repos/acme/huge/releases?per_page=100":
            return (200, "[]", nil)
        case "/repos/acme/busy":
            return (200, #"{"full_name": "acme/busy", "stargazers_count": 10}"#, nil)
        case "/repos/acme/busy/stargazers?per_page=100", "/repos/acme/busy/releases?per_page=100":
            return (200, "[]", nil)
        case "/repos/acme/busy/stats/commit_activity", "/repos/acme/busy/stats/contributors":
            return (202, "{}", nil)
        case "/repos/acme/busy/commits?since=2026-09-02T00:00:00Z&per_page=100":
            return (
                200,
                #"[{"author": {"login": "alice"}}, {"author": {"login": "bob"}}, {"author": {"login": "alice"}}]"#, nil
            )
        case "/repos/acme/gateway":
            return (200, #"{"full_name": "acme/gateway", "stargazers_count": 4200}"#, nil)
        case "/repos/acme/gateway/releases?per_page=100":
            let next = "\(base)/repos/acme/gateway/releases?per_page=100&page=2"
            return (
                200, #"[{"tag_name": "v2", "published_at": "2026-11-20T10:00:00Z"}]"#,
                "<\(next)>; rel=\"next\", <\(next)>; rel=\"last\""
            )
        case "/repos/acme/gateway/releases?per_page=100&page=2":
            return (200, #"[{"tag_name": "v1", "published_at": "2025-01-01T10:00:00Z"}]"#, nil)
        case "/repos/forbidden/x":
            return (403, #"{"message": "Resource not accessible by integration"}"#, nil)
        default:
            return (404, #"{"message": "Not Found"}"#, nil)
        }
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let log: NIOLockedValueBox<[(path: String, status: Int)]>
        let remaining: Int

        init(log: NIOLockedValueBox<[(path: String, status: Int)]>, remaining: Int) {
            self.log = log
            self.remaining = remaining
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let request) = unwrapInboundIn(data) else { return }
            let base = "http://\(request.headers.first(name: "host") ?? "127.0.0.1")"
            var headers = HTTPHeaders()
            headers.add(name: "x-ratelimit-limit", value: "60")
            headers.add(name: "x-ratelimit-reset", value: "1796176800")
            var status: Int
            var body: String
            if request.uri.hasPrefix("/repos/limited/") {
                headers.add(name: "x-ratelimit-remaining", value: "0")
                (status, body) = (403, #"{"message": "API rate limit exceeded for 127.0.0.1."}"#)
            } else {
                headers.add(name: "x-ratelimit-remaining", value: "\(remaining)")
                let seen = log.withLockedValue { $0.count { $0.path == request.uri } }
                let answer = FakeGitHub.answer(
                    path: request.uri, base: base, accept: request.headers.first(name: "accept") ?? "", seen: seen)
                (status, body) = (answer.status, answer.body)
                let etag = "\"\(body.utf8.reduce(UInt32(5381)) { ($0 &* 33) &+ UInt32($1) })\""
                if status == 200 {
                    headers.add(name: "etag", value: etag)
                    if let link = answer.link { headers.add(name: "link", value: link) }
                    if request.headers.first(name: "if-none-match") == etag { (status, body) = (304, "") }
                }
            }
            log.withLockedValue { $0.append((request.uri, status)) }
            headers.add(name: "content-length", value: "\(body.utf8.count)")
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
