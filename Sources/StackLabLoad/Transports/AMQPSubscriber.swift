import NIOCore
import NIOPosix
import StackLabCore

/// One consumer of a messaging run on AMQP 0-9-1: a connection that logs in, declares its subscription's queue
/// (durable, of the run's queue type) bound to its topic's fanout exchange, takes at most `prefetch`
/// unacknowledged deliveries (`Basic.Qos`), consumes, and counts every `Basic.Deliver`'s message in a
/// ``SubscriptionTally``. The deliveries of one read are acknowledged together at its end (`Basic.Ack` with the
/// multiple flag). The consumers of one subscription share its queue, so the broker shares its messages out among
/// them. With a consumer rate it reads no faster than that: the prefetch keeps the backlog in the broker, never in
/// this process.
///
/// Everything runs on its channel's event loop. Also the login check before a run: with no setup it only logs in
/// and opens a channel.
final class AMQPSubscriber: SubscriberHandler, ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var handshake: AMQPHandshake
    private var parser = AMQPFrameParser(maximumFrameSize: Int(AMQPHandshake.frameMax))
    private let timeout: Int64
    /// The message being delivered: its body's size, the bytes of it read so far and the start of it (the stamp).
    private var body: (size: Int, read: Int, head: [UInt8])?
    /// The last delivery tag read and not yet acknowledged.
    private var unacknowledged: UInt64?

    init(handshake: AMQPHandshake, rate: Double?, producers: Int, ready: EventLoopPromise<Void>, timeout: Int64) {
        self.handshake = handshake
        self.timeout = timeout
        super.init(rate: rate, producers: producers, ready: ready)
    }

    /// Connects, logs in and runs `handshake`'s setup; returns once the broker has answered all of it.
    ///
    /// - Throws: `UserError` with the broker's refusal (`403 ACCESS_REFUSED`, a queue declared before with other
    ///   arguments) or why it could not connect.
    static func connect(
        to address: SocketAddress, on loop: any EventLoop, handshake: AMQPHandshake, rate: Double?, producers: Int,
        timeout: Int64, endpoint: String
    ) async throws -> (subscriber: NIOLoopBound<any MessageConsumer>, channel: any Channel) {
        try await open(to: address, on: loop, timeout: timeout, endpoint: endpoint, wire: "AMQP") { ready in
            AMQPSubscriber(handshake: handshake, rate: rate, producers: producers, ready: ready, timeout: timeout)
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        begin(
            context, login: context.channel.allocator.buffer(bytes: AMQPFrame.protocolHeader), timeout: timeout,
            silence: SubscriberHandler.Failure(description: "no answer to the AMQP opening in time"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = Self.now()
        var offset = 0
        var answers: [UInt8] = []
        let count = buffer.readableBytes
        while offset < count {
            do {
                let step = try buffer.withUnsafeReadableBytes { try parser.parse($0, from: offset) }
                offset += step.consumed
                guard let frame = step.frame else { continue }
                if !handshake.isOpen {
                    for answer in try handshake.handle(frame) { answers += answer.encoded() }
                    if handshake.isOpen {
                        isReady = true
                        settle(nil)
                    }
                } else {
                    try handle(frame, now: now)
                }
            } catch {
                note(error: "\(error)")
                settle(error)
                context.close(promise: nil)
                return
            }
        }
        if let tag = unacknowledged {
            answers += AMQPFrame.method(channel: AMQPHandshake.channel, .basicAck(deliveryTag: tag, multiple: true))
                .encoded()
            unacknowledged = nil
        }
        if !answers.isEmpty { send(answers, context) }
    }

    /// A frame once consuming: a delivery's method, content header and body frames; the broker's closes and
    /// cancels are errors.
    private func handle(_ frame: AMQPFrame, now: Int64) throws {
        switch frame {
        case .method(_, .basicDeliver(_, let tag, _, _, _)):
            unacknowledged = tag
        case .header(_, let header):
            body = (size: Int(header.bodySize), read: 0, head: [])
            if header.bodySize == 0 { deliver(now: now) }
        case .body(_, let bytes):
            guard var current = body else { return }
            if current.head.count < MessageStamp.size {
                current.head += bytes.prefix(MessageStamp.size - current.head.count)
            }
            current.read += bytes.count
            body = current
            if current.read >= current.size { deliver(now: now) }
        case .method(_, .connectionClose(let close)):
            throw AMQPRefusal(close: close, connection: true)
        case .method(_, .channelClose(let close)):
            throw AMQPRefusal(close: close, connection: false)
        case .method(_, .basicCancel(let tag)):
            note(error: "the broker cancelled consumer \(tag) (its queue was deleted or its node is down)")
        default:
            break  // heartbeats, Basic.QosOk and the like
        }
    }

    /// The message whose body is complete goes to the tally.
    private func deliver(now: Int64) {
        guard let current = body else { return }
        body = nil
        let stamp = current.head.withUnsafeBytes { MessageStamp($0) }
        tally.record(stamp, bytes: current.size, now: now)
    }

    private func send(_ bytes: [UInt8], _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}

@available(*, unavailable)
extension AMQPSubscriber: Sendable {}
