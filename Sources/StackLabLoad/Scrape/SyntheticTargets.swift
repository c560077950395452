import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// N synthetic scrape targets served by StackLab on loopback, each on its own port, each answering
/// `GET /metrics` with its ``SyntheticExposition`` at the whole seconds since the targets started (HTTP/1.1,
/// keep-alive). Every scrape is counted and the seconds it served are kept, so a test can check a backend's
/// answer against what was served.
public final class SyntheticTargets: Sendable {
    public let shape: SyntheticTargetShape
    /// The ports, target 0's first.
    public let ports: [Int]
    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]
    private let state: NIOLockedValueBox<State>

    struct State {
        var scrapes: [Int]
        /// Seconds served, per target, the last 256.
        var served: [[Int]]
    }

    /// Starts `count` targets on ephemeral loopback ports.
    ///
    /// - Throws: ``SyntheticTargetShape/Invalid`` for a bad shape, or the bind error.
    public init(count: Int, shape: SyntheticTargetShape = .init(), threads: Int = 1) throws {
        try shape.validate()
        guard count >= 1 else { throw SyntheticTargetShape.Invalid("at least one target") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let state = NIOLockedValueBox(
            State(scrapes: Array(repeating: 0, count: count), served: Array(repeating: [], count: count)))
        let start = ContinuousClock.now
        var channels: [any Channel] = []
        do {
            for target in 0..<count {
                let exposition = SyntheticExposition(shape: shape, target: target)
                let channel = try ServerBootstrap(group: group)
                    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                ScrapeHandler { path in
                                    guard path == "/metrics" || path.hasPrefix("/metrics?") else { return nil }
                                    let seconds = Int((ContinuousClock.now - start).components.seconds)
                                    state.withLockedValue {
                                        $0.scrapes[target] += 1
                                        $0.served[target].append(seconds)
                                        if $0.served[target].count > 256 { $0.served[target].removeFirst() }
                                    }
                                    return exposition.text(seconds: seconds)
                                })
                        }
                    }
                    .bind(host: "127.0.0.1", port: 0).wait()
                channels.append(channel)
            }
        } catch {
            for channel in channels { try? channel.close().wait() }
            try? group.syncShutdownGracefully()
            throw error
        }
        self.shape = shape
        self.group = group
        self.channels = channels
        self.state = state
        self.ports = channels.map { $0.localAddress?.port ?? 0 }
    }

    /// Scrapes served by target `target`.
    public func scrapes(of target: Int) -> Int { state.withLockedValue { $0.scrapes[target] } }

    /// The seconds target `target` served, oldest first (at most the last 256).
    public func servedSeconds(of target: Int) -> [Int] { state.withLockedValue { $0.served[target] } }

    /// Stops every target.
    public func shutdown() async throws {
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()
    }
}

/// Answers each HTTP/1.1 request on a connection: the body `respond` gives for its path, else 404.
final class ScrapeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: @Sendable (String) -> String?
    private var pending = ByteBuffer()

    init(respond: @escaping @Sendable (String) -> String?) { self.respond = respond }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        while let head = nextHead() {
            let line = head.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
            let path = line.count >= 2 ? String(line[1]) : ""
            let close = head.lowercased().contains("\r\nconnection: close")
            let body = line.first == "GET" ? respond(path) : nil
            let status = body == nil ? "404 Not Found" : "200 OK"
            let text = body ?? "not found\n"
            var response = context.channel.allocator.buffer(capacity: text.utf8.count + 160)
            response.writeString(
                "HTTP/1.1 \(status)\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                    + "Content-Length: \(text.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n")
            response.writeString(text)
            let written = context.writeAndFlush(wrapOutboundOut(response))
            if close {
                written.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
                return
            }
        }
    }

    /// The next request's head, up to its blank line, taken out of what was read; nil until it is whole.
    private func nextHead() -> String? {
        let view = pending.readableBytesView
        guard let end = view.firstRange(of: [13, 10, 13, 10]) else { return nil }
        let length = end.upperBound - view.startIndex
        return pending.readString(length: length)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
