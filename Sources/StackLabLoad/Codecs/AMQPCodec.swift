import NIOCore
import StackLabCore

/// AMQP 0-9-1 (RabbitMQ) as a messaging run's producers speak it: each request publishes one stamped message to
/// its producer's topic, the durable fanout exchange `<prefix>.<topic>` (every subscription's queue is bound to
/// it), as `Basic.Publish` (mandatory), a content header (delivery mode 2, persistent, unless the workload says
/// `persistent: false`) and the body in frames of at most the tuned frame size.
///
/// The channel is in confirm mode: the broker's `Basic.Ack` acknowledges a message (the queues have it; a
/// persistent message in a durable queue is on disk), and publish latency is the time until then. A `Basic.Nack`,
/// or a `Basic.Return` (no queue bound to take it), refuses it: an error reply, never a success.
///
/// A new connection sends the protocol header; ``AMQPReplyParser`` logs in (PLAIN, the target's user and password,
/// `guest` by default as RabbitMQ's clients do), opens channel 1, selects confirms and declares the exchange; the
/// opening's end completes the greeting, a refusal (`403 ACCESS_REFUSED`) fails the connection.
struct AMQPCodec: MessageCodec {
    private let publish: StampedPublish
    /// Each topic's `Basic.Publish` method frame, encoded once.
    private let publishMethods: [[UInt8]]
    /// The content header frame every message shares: its body size and delivery mode.
    private let contentHeader: [UInt8]
    /// Payload bytes in one body frame at most.
    private let bodyPiece: Int
    private let ledger: PublishLedger
    private let user: String
    private let password: String
    /// The producer's topic's exchange, declared at each connection's opening.
    private let exchange: String

    init(options: LoadOptions, messaging: Workload.Messaging, ledger: PublishLedger) {
        self.publish = StampedPublish(messaging: messaging, ledger: ledger)
        self.ledger = ledger
        let channel = AMQPHandshake.channel
        publishMethods = (0..<messaging.topics).map { topic in
            AMQPFrame.method(
                channel: channel,
                .basicPublish(
                    exchange: MessagingPlan.topicName(messaging, topic: topic), routingKey: "", mandatory: true)
            ).encoded()
        }
        contentHeader = AMQPFrame.header(
            channel: channel,
            AMQPContentHeader(
                bodySize: UInt64(messaging.messageSize),
                properties: .init(deliveryMode: messaging.persistent == false ? 1 : 2))
        ).encoded()
        bodyPiece = Int(AMQPHandshake.frameMax) - AMQPFrame.overhead
        user = options.target.user ?? "guest"
        password = options.target.password ?? "guest"
        exchange = MessagingPlan.topicName(
            messaging, topic: MessagingPlan.topic(ofProducer: ledger.first, topics: messaging.topics))
    }

    mutating func writeRequest(
        into out: inout ByteBuffer, connection: Int, due: Int64
    ) -> (bytes: Int, expectation: Void) {
        let message = publish.begin(&out, connection: connection, due: due)
        out.writeBytes(publishMethods[message.topic])
        out.writeBytes(contentHeader)
        let size = publish.payloadSize
        var start = 0
        while start < size {
            let end = min(start + bodyPiece, size)
            out.writeInteger(UInt8(3))
            out.writeInteger(AMQPHandshake.channel)
            out.writeInteger(UInt32(end - start))
            publish.writePayload(into: &out, message, range: start..<end)
            out.writeInteger(AMQPFrame.frameEnd)
            start = end
        }
        return publish.finish(out, message)
    }

    func makeParser() -> AMQPReplyParser {
        AMQPReplyParser(
            handshake: AMQPHandshake(
                user: user, password: password, setup: [.confirmSelect, AMQPHandshake.exchange(exchange)]),
            ledger: ledger)
    }

    func writeGreeting(into out: inout ByteBuffer) -> Bool {
        out.writeBytes(AMQPFrame.protocolHeader)
        return true
    }
}

/// A producer connection's frames: the opening (answered through ``writeAnswers(into:)``; its end is the
/// greeting's reply), then one reply per message in publish order. The broker confirms by delivery tag (the
/// channel's publishes counted from 1), possibly several at once (`multiple`) and not always in order; a message's
/// reply is handed out once it and every message before it are settled, acknowledged (`Basic.Ack`) or refused
/// (`Basic.Nack`, or the `Basic.Return` before an ack). `Connection.Blocked` and `Unblocked` go to the ledger; a
/// `Connection.Close` or `Channel.Close` ends the connection with the broker's words.
struct AMQPReplyParser: ReplyParser {
    typealias Expectation = Void
    private var frames = AMQPFrameParser(maximumFrameSize: Int(AMQPHandshake.frameMax))
    private var handshake: AMQPHandshake
    private let ledger: PublishLedger
    private var answers: [UInt8] = []
    /// The opening is done and its reply not yet handed out.
    private var opened = false
    /// The lowest delivery tag whose reply is not handed out yet.
    private var nextTag: UInt64 = 1
    /// Settled tags from ``nextTag`` on: true acknowledged, false refused.
    private var settled: [UInt64: Bool] = [:]
    /// Returned messages whose confirm is still to come: each turns the next acknowledgement into a refusal.
    private var returned = 0

    init(handshake: AMQPHandshake, ledger: PublishLedger) {
        self.handshake = handshake
        self.ledger = ledger
    }

    var isIdle: Bool { frames.isIdle }

    var hasPendingReply: Bool { opened || settled[nextTag] != nil }

    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (consumed: Int, reply: ParsedReply?) {
        if let reply = takeReply() { return (0, reply) }
        var index = offset
        while index < bytes.count {
            let step = try frames.parse(bytes, from: index)
            index += step.consumed
            guard let frame = step.frame else { continue }
            try handle(frame)
            if let reply = takeReply() { return (index - offset, reply) }
        }
        return (index - offset, nil)
    }

    private mutating func handle(_ frame: AMQPFrame) throws {
        let now = Int64(NIODeadline.now().uptimeNanoseconds)
        switch frame {
        case .method(_, .connectionBlocked(let reason)):
            ledger.block(reason: reason, at: now)
        case .method(_, .connectionUnblocked):
            ledger.unblock(at: now)
        case _ where !handshake.isOpen:
            for answer in try handshake.handle(frame) { answers += answer.encoded() }
            opened = handshake.isOpen
        case .method(_, .basicAck(let tag, let multiple)):
            settle(tag, multiple: multiple, acknowledged: true)
        case .method(_, .basicNack(let tag, let multiple, _)):
            settle(tag, multiple: multiple, acknowledged: false)
        case .method(_, .basicReturn):
            returned += 1
        case .method(_, .connectionClose(let close)):
            throw AMQPRefusal(close: close, connection: true)
        case .method(_, .channelClose(let close)):
            throw AMQPRefusal(close: close, connection: false)
        default:
            break  // a returned message's header and body, heartbeats
        }
    }

    /// Settles `tag`, or with `multiple` every tag up to it not settled yet.
    private mutating func settle(_ tag: UInt64, multiple: Bool, acknowledged: Bool) {
        let first = multiple ? nextTag : tag
        guard tag >= first, tag >= nextTag else { return }
        for each in first...tag where settled[each] == nil { settled[each] = acknowledged }
    }

    private mutating func takeReply() -> ParsedReply? {
        if opened {
            opened = false
            return ParsedReply(outcome: .acknowledged)
        }
        guard let acknowledged = settled.removeValue(forKey: nextTag) else { return nil }
        nextTag += 1
        if acknowledged && returned > 0 {
            returned -= 1
            return ParsedReply(outcome: .refused)
        }
        return ParsedReply(outcome: acknowledged ? .acknowledged : .refused)
    }

    mutating func writeAnswers(into out: inout ByteBuffer) {
        guard !answers.isEmpty else { return }
        out.writeBytes(answers)
        answers.removeAll(keepingCapacity: true)
    }

    mutating func replyAtClose() throws -> ParsedReply? { nil }
}
