import NIOCore
import StackLabCore
import Testing

@testable import StackLabLoad

/// The AMQP producer's side without a socket: the opening answered frame by frame, publishes written as the
/// broker reads them (a body cut at the frame size, the stamp at its head), and confirms handed out one per
/// message in publish order, whatever order and grouping the broker confirms in; a nack or a return refuses.
struct AMQPReplyParserTests {
    static func opening(setup: [AMQPMethod]) -> AMQPReplyParser {
        AMQPReplyParser(
            handshake: AMQPHandshake(user: "u", password: "p", setup: setup),
            ledger: PublishLedger(first: 0, producers: 1))
    }

    /// The outcomes `frames` complete, each reply handed out as the connection asks for them.
    static func feed(_ parser: inout AMQPReplyParser, _ frames: [AMQPFrame]) throws -> [ReplyOutcome] {
        let bytes = frames.flatMap { $0.encoded() }
        var outcomes: [ReplyOutcome] = []
        var offset = 0
        while offset < bytes.count || parser.hasPendingReply {
            let step = try bytes.withUnsafeBytes { try parser.nextReply($0, from: offset) }
            offset += step.consumed
            guard let reply = step.reply else { break }
            outcomes.append(reply.outcome)
        }
        return outcomes
    }

    static func answers(_ parser: inout AMQPReplyParser) throws -> [AMQPFrame] {
        var out = ByteBuffer()
        parser.writeAnswers(into: &out)
        var frames = AMQPFrameParser()
        return try frames.parseAll(Array(out.readableBytesView))
    }

    static let start = AMQPFrame.method(
        channel: 0,
        .connectionStart(
            versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "AMQPLAIN PLAIN", locales: "en_US"))

    @Test func theOpeningIsAnsweredStepByStepAndEndsTheGreeting() throws {
        var parser = Self.opening(setup: [.confirmSelect, AMQPHandshake.exchange("stacklab.0")])
        let steps: [(AMQPFrame, [AMQPFrame])] = [
            (Self.start, [.method(channel: 0, .startOk(user: "u", password: "p"))]),
            (
                .method(channel: 0, .connectionTune(channelMax: 2047, frameMax: 131_072, heartbeat: 60)),
                [
                    .method(channel: 0, .connectionTuneOk(channelMax: 1, frameMax: 131_072, heartbeat: 0)),
                    .method(channel: 0, .connectionOpen(virtualHost: "/")),
                ]
            ),
            (.method(channel: 0, .connectionOpenOk), [.method(channel: 1, .channelOpen)]),
            (.method(channel: 1, .channelOpenOk), [.method(channel: 1, .confirmSelect)]),
            (
                .method(channel: 1, .confirmSelectOk),
                [.method(channel: 1, .exchangeDeclare(exchange: "stacklab.0", type: "fanout", durable: true))]
            ),
        ]
        for (frame, expected) in steps {
            let outcomes = try Self.feed(&parser, [frame])
            let answers = try Self.answers(&parser)
            #expect(outcomes.isEmpty, "\(frame)")
            #expect(answers == expected, "\(frame)")
        }
        let last = try Self.feed(&parser, [.method(channel: 1, .exchangeDeclareOk)])
        let none = try Self.answers(&parser)
        #expect(last == [.acknowledged], "the opening's end is the greeting's reply")
        #expect(none.isEmpty)
    }

    @Test func aRefusedLoginFailsTheOpeningWithTheBrokersWords() throws {
        var parser = Self.opening(setup: [])
        _ = try Self.feed(&parser, [Self.start])
        let close = AMQPMethod.Close(
            replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused", classID: 10, methodID: 11)
        do {
            _ = try Self.feed(&parser, [.method(channel: 0, .connectionClose(close))])
            Issue.record("a refused login was taken")
        } catch let refusal as AMQPRefusal {
            #expect(refusal.description.contains("403 ACCESS_REFUSED"))
        }
    }

    @Test func aBrokerThatAllowsSmallerFramesIsRefused() throws {
        var parser = Self.opening(setup: [])
        _ = try Self.feed(&parser, [Self.start])
        do {
            _ = try Self.feed(
                &parser, [.method(channel: 0, .connectionTune(channelMax: 0, frameMax: 4096, heartbeat: 0))])
            Issue.record("a frame-max of 4096 was taken")
        } catch let error as FramingError {
            #expect(error.message.contains("frame_max is 4096"))
        }
    }

    @Test func confirmsAreHandedOutInPublishOrderAndRefusalsCounted() throws {
        var parser = Self.opening(setup: [])
        let opening: [AMQPFrame] = [
            Self.start, .method(channel: 0, .connectionTune(channelMax: 0, frameMax: 0, heartbeat: 0)),
            .method(channel: 0, .connectionOpenOk), .method(channel: 1, .channelOpenOk),
        ]
        let returned: [AMQPFrame] = [
            .method(channel: 1, .basicReturn(replyCode: 312, replyText: "NO_ROUTE", exchange: "x", routingKey: "")),
            .header(channel: 1, .init(bodySize: 3)), .body(channel: 1, [1, 2, 3]),
            .method(channel: 1, .basicAck(deliveryTag: 3, multiple: false)),
        ]
        let steps: [(frames: [AMQPFrame], outcomes: [ReplyOutcome], why: String)] = [
            (opening, [.acknowledged], "the greeting"),
            ([.method(channel: 1, .basicAck(deliveryTag: 2, multiple: false))], [], "2 waits for 1"),
            (
                [.method(channel: 1, .basicAck(deliveryTag: 1, multiple: false))], [.acknowledged, .acknowledged],
                "1, 2"
            ),
            (returned, [.refused], "a return before the ack refuses the message"),
            ([.method(channel: 1, .basicNack(deliveryTag: 5, multiple: false, requeue: false))], [], "5 waits for 4"),
            (
                [.method(channel: 1, .basicAck(deliveryTag: 7, multiple: true))],
                [.acknowledged, .refused, .acknowledged, .acknowledged], "4 to 7, 5 nacked"
            ),
            ([.method(channel: 1, .basicAck(deliveryTag: 7, multiple: true))], [], "a repeated confirm"),
        ]
        for step in steps {
            let outcomes = try Self.feed(&parser, step.frames)
            #expect(outcomes == step.outcomes, "\(step.why)")
        }
    }

    @Test func aBlockedBrokerIsNotedInTheLedger() throws {
        let ledger = PublishLedger(first: 0, producers: 1)
        var parser = AMQPReplyParser(handshake: AMQPHandshake(user: "u", password: "p", setup: []), ledger: ledger)
        _ = try Self.feed(&parser, [.method(channel: 0, .connectionBlocked(reason: "low on memory"))])
        #expect(ledger.blocks == 1 && ledger.blockReason == "low on memory")
        _ = try Self.feed(&parser, [.method(channel: 0, .connectionUnblocked)])
        _ = try Self.feed(&parser, [.method(channel: 0, .connectionBlocked(reason: "low on disk"))])
        #expect(ledger.blocks == 2 && ledger.blockReason == "low on memory", "the first reason is kept")
    }

    @Test func aMessageLargerThanAFrameIsCutWithTheStampAtItsHead() throws {
        let target = try TargetURL(parsing: "amqp://u:p@127.0.0.1:5672/?queue_type=quorum")
        #expect(target.isAMQP && target.queueType == "quorum" && target.user == "u" && target.password == "p")
        let messaging = Workload.Messaging(topics: 2, messageSize: 200_000, prefetch: 10, persistent: true)
        let ledger = PublishLedger(first: 1, producers: 1)
        var codec = AMQPCodec(options: LoadOptions(target: target), messaging: messaging, ledger: ledger)
        var out = ByteBuffer()
        let written = codec.writeRequest(into: &out, connection: 0, due: 42)
        #expect(written.bytes == out.readableBytes)
        var parser = AMQPFrameParser()
        let frames = try parser.parseAll(Array(out.readableBytesView))
        #expect(frames.count == 4)
        #expect(
            frames.first == .method(channel: 1, .basicPublish(exchange: "stacklab.1", routingKey: "", mandatory: true)))
        guard case .header(1, let header) = frames[1], case .body(1, let first) = frames[2],
            case .body(1, let second) = frames[3]
        else {
            Issue.record("not publish, header, body, body: \(frames.prefix(1))")
            return
        }
        #expect(header.bodySize == 200_000 && header.properties.deliveryMode == 2)
        #expect(first.count == 131_072 - 8 && first.count + second.count == 200_000)
        #expect(first.withUnsafeBytes { MessageStamp($0) } == MessageStamp(producer: 1, sequence: 1, intended: 42))
        #expect(ledger.sent == [1])
        let transient = Workload.Messaging(messageSize: 24, persistent: false)
        var small = AMQPCodec(options: LoadOptions(target: target), messaging: transient, ledger: ledger)
        out.clear()
        _ = small.writeRequest(into: &out, connection: 0, due: 7)
        let three = try parser.parseAll(Array(out.readableBytesView))
        guard case .header(_, let smallHeader) = three[1] else {
            Issue.record("no header")
            return
        }
        #expect(three.count == 3 && smallHeader.properties.deliveryMode == 1)
    }
}
