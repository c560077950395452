import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local OpenAI-compatible `/chat/completions` endpoint: it answers `reply(requestBody)` as the content of
/// `choices[0].message`, and keeps the request bodies it received.
final class FakeChat: Sendable {
    let channel: Channel
    private let bodies = NIOLockedValueBox<[String]>([])

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)/v1" }
    var received: [String] { bodies.withLockedValue { $0 } }

    init(reply: @escaping @Sendable (String) -> String) async throws {
        let bodies = self.bodies
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(bodies: bodies, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let bodies: NIOLockedValueBox<[String]>
        let reply: @Sendable (String) -> String
        // Confined to the channel's event loop.
        var body = ""

        init(bodies: NIOLockedValueBox<[String]>, reply: @escaping @Sendable (String) -> String) {
            self.bodies = bodies
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: body = ""
            case .body(let buffer): body += String(buffer: buffer)
            case .end:
                bodies.withLockedValue { $0.append(body) }
                let answer = ["choices": [["index": 0, "message": ["role": "assistant", "content": reply(body)]]]]
                let bytes = try! JSONSerialization.data(withJSONObject: answer)
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: "application/json")
                headers.add(name: "content-length", value: "\(bytes.count)")
                context.write(
                    wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
