import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local HTTP server answering as GitHub's REST API documents: an ETag on every 200 and 304 when
/// `If-None-Match` matches it, `x-ratelimit-*` headers, `Link` pagination of releases, and a 403 with no
/// requests left on `/repos/limited/*`.
final class FakeGitHub: Sendable {
    let channel: Channel
    private let log = NIOLockedValueBox<[(path: String, status: Int)]>([])

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }
    /// Every request answered: path and status.
    var requests: [(path: String, status: Int)] { log.withLockedValue { $0 } }

    init() async throws {
        let log = self.log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async throws { try await channel.close() }

    /// The body and ETag of each path, and its `Link` header.
    static func answer(path: String, base: String) -> (status: Int, body: String, link: String?) {
        switch path {
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

        init(log: NIOLockedValueBox<[(path: String, status: Int)]>) { self.log = log }

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
                headers.add(name: "x-ratelimit-remaining", value: "57")
                let answer = FakeGitHub.answer(path: request.uri, base: base)
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
