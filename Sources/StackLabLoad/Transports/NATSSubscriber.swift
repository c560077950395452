import NIOCore
import NIOPosix
import StackLabCore

/// One consumer of a messaging run on NATS: a connection that logs in, subscribes to its subject (in a queue
/// group when its subscription has several consumers) and counts every message delivered in a
/// ``SubscriptionTally``. It answers the server's `PING`s; with a consumer rate it reads no faster than that, so a
/// consumer that cannot keep up leaves the messages in the kernel and the server (which cuts it off as a slow
/// consumer past its `max_pending`), never in this process's memory.
///
/// Everything runs on its channel's event loop. Also the login check before a run: with no subject it only logs in.
final class NATSSubscriber: SubscriberHandler, ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let subject: String?
    private let queue: String?
    private let connectLine: String
    /// JetStream: the subject to ask for the next messages on (a pull consumer's), and how many at a time.
    private let pull: String?
    private static let batch = 512
    /// Messages asked for and not yet delivered.
    private var outstanding = 0
    private var parser = NATSFrameParser()
    private let timeout: Int64

    init(
        subject: String?, queue: String?, connectLine: String, rate: Double?, producers: Int,
        ready: EventLoopPromise<Void>, timeout: Int64, pull: String? = nil
    ) {
        self.pull = pull
        self.timeout = timeout
        self.subject = subject
        self.queue = queue
        self.connectLine = connectLine
        super.init(rate: rate, producers: producers, ready: ready)
    }

    /// Connects, logs in and subscribes; returns once the server has answered the `PING` after the `SUB`.
    ///
    /// - Throws: `UserError` with the server's refusal (`Authorization Violation`) or why it could not connect.
    static func connect(
        to address: SocketAddress, on loop: any EventLoop, subject: String?, queue: String?, connectLine: String,
        rate: Double?, producers: Int, timeout: Int64, endpoint: String, pull: String? = nil
    ) async throws -> (subscriber: NIOLoopBound<any MessageConsumer>, channel: any Channel) {
        try await open(to: address, on: loop, timeout: timeout, endpoint: endpoint, wire: "NATS") { ready in
            NATSSubscriber(
                subject: subject, queue: queue, connectLine: connectLine, rate: rate, producers: producers,
                ready: ready, timeout: timeout, pull: pull)
        }
    }

    /// Added to a connected channel: logs in, subscribes and asks for the first read.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        var text = connectLine
        if let subject { text += "SUB \(subject)\(queue.map { " \($0)" } ?? "") 1\r\n" }
        text += "PING\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
        pacing?.start(at: Self.now())
        context.read()
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(timeout)) {
            self.settle(NATSFrameParser.ProtocolError(description: "no answer to CONNECT and PING in time"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = Self.now()
        var offset = 0
        let count = buffer.readableBytes
        while offset < count {
            let step: (consumed: Int, frame: NATSFrameParser.Frame?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.next($0, from: offset) }
            } catch {
                note(error: "\(error)")
                context.close(promise: nil)
                return
            }
            offset += step.consumed
            switch step.frame {
            case .message(_, _, let headerBytes, let bytes, _) where headerBytes > 0 && bytes == 0:
                // A status (JetStream: a pull request that expired): ask again.
                outstanding = 0
                askForMore(context)
            case .message(_, _, _, let bytes, let stamp):
                tally.record(stamp, bytes: bytes, now: now)
                outstanding -= 1
                if outstanding <= Self.batch / 2 { askForMore(context) }
            case .ping:
                context.writeAndFlush(
                    wrapOutboundOut(context.channel.allocator.buffer(string: "PONG\r\n")), promise: nil)
            case .pong where !isReady:
                isReady = true
                settle(nil)
                askForMore(context)
            case .error(let text):
                note(error: text)
                settle(NATSFrameParser.ProtocolError(description: text))
            case .pong, .ok, .info, .none: break
            }
        }
    }

    /// JetStream: asks the pull consumer for the next ``batch`` messages (they wait at the server up to 10
    /// minutes for messages to come).
    private func askForMore(_ context: ChannelHandlerContext) {
        guard let pull, let subject else { return }
        let request = "{\"batch\":\(Self.batch),\"expires\":600000000000}"
        let text = "PUB \(pull) \(subject) \(request.utf8.count)\r\n\(request)\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
        outstanding += Self.batch
    }
}

@available(*, unavailable)
extension NATSSubscriber: Sendable {}
