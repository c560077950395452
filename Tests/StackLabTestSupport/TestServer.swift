import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An HTTP/1.1 server for tests, on 127.0.0.1, whose behaviour a test sets and changes while it runs:
/// a delay per response, one stall of the whole server, and faults (500s, closed connections, silence).
public final class TestServer: Sendable {
    /// What the server does with a request.
    public enum Behaviour: Sendable, Equatable {
        /// `200 OK` with `Hello, World!` (or the request body, for a request that has one).
        case ok
        /// A response with this status.
        case status(Int)
        /// Closes the connection without answering.
        case close
        /// Reads the request and never answers.
        case silent
        /// `200 OK` in chunked transfer encoding.
        case chunked
        /// `200 OK` with a body of this many bytes.
        case large(Int)
    }

    struct State {
        var behaviour = Behaviour.ok
        var delayNanoseconds: Int64 = 0
        /// Uptime until which no response leaves the server.
        var stallUntil: Int64 = 0
        /// Stall the server once, when this many requests have arrived.
        var stallAfter: (requests: Int, nanoseconds: Int64)?
        /// Service time of one request when the server serves a fixed rate; 0 serves each at once.
        var serviceNanoseconds: Int64 = 0
        /// Uptime at which the server's one service slot is next free.
        var nextFree: Int64 = 0
        var requests = 0
        var connections = 0
        var requestsByPath: [String: Int] = [:]
        var lastHeadByPath: [String: String] = [:]
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: NIOLockedValueBox<State>
    public let port: Int

    /// Starts the server on an ephemeral loopback port.
    public init(threads: Int = 1) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let state = NIOLockedValueBox(State())
        self.group = group
        self.state = state
        self.channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                state.withLockedValue { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TestServerHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        self.port = channel.localAddress?.port ?? 0
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func set(_ behaviour: Behaviour) {
        state.withLockedValue { $0.behaviour = behaviour }
    }

    public func set(delayMilliseconds: Int) {
        state.withLockedValue { $0.delayNanoseconds = Int64(delayMilliseconds) * 1_000_000 }
    }

    /// The server serves exactly `rate` requests per second, one after another, and queues the rest: a stack
    /// whose capacity is known. Below `rate` no request waits; above it the queue, and the latency, grow.
    public func set(serviceRate rate: Double) {
        state.withLockedValue { $0.serviceNanoseconds = Int64(1e9 / rate) }
    }

    /// The whole server stops answering for `milliseconds` once `requests` requests have arrived.
    public func stallOnce(afterRequests requests: Int, milliseconds: Int) {
        state.withLockedValue { $0.stallAfter = (requests, Int64(milliseconds) * 1_000_000) }
    }

    public var requestCount: Int { state.withLockedValue { $0.requests } }

    /// Requests received for one path.
    public func requestCount(path: String) -> Int { state.withLockedValue { $0.requestsByPath[path] ?? 0 } }
    public var connectionCount: Int { state.withLockedValue { $0.connections } }

    /// The request line and headers of the last request received for one path, as they arrived.
    public func lastRequestHead(path: String) -> String? { state.withLockedValue { $0.lastHeadByPath[path] } }

    public func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

final class TestServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: NIOLockedValueBox<TestServer.State>
    private var pending = ByteBuffer()

    init(state: NIOLockedValueBox<TestServer.State>) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        while let (method, path, head, body) = takeRequest() {
            state.withLockedValue {
                $0.requestsByPath[path, default: 0] += 1
                $0.lastHeadByPath[path] = head
            }
            answer(context: context, body: body, isHead: method == "HEAD")
        }
    }

    /// Removes one complete request from `pending`; returns its method, path, head and body.
    private func takeRequest() -> (String, String, String, ByteBuffer)? {
        let view = pending.readableBytesView
        guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let headLength = end.upperBound - view.startIndex
        let original = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
        let requestLine = original.prefix { $0 != "\r" }.split(separator: " ")
        let path = requestLine.count > 1 ? String(requestLine[1]) : "/"
        let method = requestLine.first.map(String.init) ?? "GET"
        let head = original.lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).filter { $0 != " " }) ?? 0
        }
        guard pending.readableBytes >= headLength + length else { return nil }
        pending.moveReaderIndex(forwardBy: headLength)
        let body = pending.readSlice(length: length) ?? ByteBuffer()
        pending.discardReadBytes()
        return (method, path, original, body)
    }

    private func answer(context: ChannelHandlerContext, body: ByteBuffer, isHead: Bool) {
        let now = Int64(NIODeadline.now().uptimeNanoseconds)
        let (behaviour, sendAt) = state.withLockedValue { state -> (TestServer.Behaviour, Int64) in
            state.requests += 1
            if let stall = state.stallAfter, state.requests >= stall.requests {
                state.stallUntil = now + stall.nanoseconds
                state.stallAfter = nil
            }
            var served = now
            if state.serviceNanoseconds > 0 {
                served = max(now, state.nextFree) + state.serviceNanoseconds
                state.nextFree = served
            }
            return (state.behaviour, max(now + state.delayNanoseconds, state.stallUntil, served))
        }
        let response: ByteBuffer
        switch behaviour {
        case .silent:
            return
        case .close:
            context.close(promise: nil)
            return
        case .ok:
            response = Self.response(
                status: 200, body: body.readableBytes > 0 ? body : ByteBuffer(string: "Hello, World!"), headOnly: isHead
            )
        case .status(let code):
            response = Self.response(status: code, body: ByteBuffer(string: "status \(code)"))
        case .large(let bytes):
            response = Self.response(status: 200, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: bytes))
        case .chunked:
            response = ByteBuffer(
                string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "7\r\nHello, \r\n6\r\nWorld!\r\n0\r\n\r\n")
        }
        if sendAt <= now {
            context.writeAndFlush(wrapOutboundOut(response), promise: nil)
        } else {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(UInt64(sendAt))) {
                bound.value.writeAndFlush(NIOAny(response), promise: nil)
            }
        }
    }

    static func response(status: Int, body: ByteBuffer, headOnly: Bool = false) -> ByteBuffer {
        var buffer = ByteBuffer(
            string: "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: text/plain\r\n"
                + "Content-Length: \(body.readableBytes)\r\n\r\n")
        guard !headOnly else { return buffer }
        var body = body
        buffer.writeBuffer(&body)
        return buffer
    }
}

@available(*, unavailable)
extension TestServerHandler: Sendable {}
