import Foundation
import NIOCore
import StackLabCore

/// NATS as a messaging run's producers speak it: each request publishes one stamped message to its producer's
/// subject (`PUB`, or `HPUB` when the workload gives headers).
///
/// - Core NATS acknowledges nothing, so each message is followed by a `PING`, and the `PONG` answering it is the
///   acknowledgement: the server handles a connection's operations in order, so that `PONG` says it has taken
///   the message. Publish latency is the time until then (a write and a round trip).
/// - JetStream: each message names the producer's inbox as its reply subject and the stream's `PubAck` on that
///   inbox acknowledges it (stored); an error `PubAck`, or no stream for the subject, refuses it.
///
/// A producer keeps up to `in_flight` messages unacknowledged. One codec per worker of one connection: its
/// producer is its ``PublishLedger``'s first. A new connection sends `CONNECT` (with the target's user and
/// password; for JetStream a `SUB` to its inbox) and a `PING`; the `PONG` completes the greeting, an `-ERR`
/// refuses it.
struct NATSCodec: MessageCodec {
    private let publish: StampedPublish
    /// Each topic's `PUB <subject> [<inbox>] <size>\r\n` (or `HPUB <subject> [<inbox>] <header size> <total
    /// size>\r\n` and the headers), encoded once.
    private let publishLines: [[UInt8]]
    private let greeting: String
    private let trailer: [UInt8]
    private let jetstream: Bool

    init(options: LoadOptions, messaging: Workload.Messaging, ledger: PublishLedger) {
        self.publish = StampedPublish(messaging: messaging, ledger: ledger)
        self.jetstream = messaging.jetstream
        let inbox = "_INBOX.stacklab.p\(ledger.first)"
        let reply = messaging.jetstream ? " \(inbox)" : ""
        let headers = Self.headerBlock(messaging.headers)
        publishLines = (0..<messaging.topics).map { topic in
            let subject = MessagingPlan.topicName(messaging, topic: topic)
            guard let headers else { return Array("PUB \(subject)\(reply) \(messaging.messageSize)\r\n".utf8) }
            let total = headers.count + messaging.messageSize
            return Array("HPUB \(subject)\(reply) \(headers.count) \(total)\r\n".utf8) + headers
        }
        let connect = Self.connectLine(user: options.target.user, password: options.target.password)
        greeting = connect + (messaging.jetstream ? "SUB \(inbox) 1\r\n" : "") + "PING\r\n"
        trailer = Array((messaging.jetstream ? "\r\n" : "\r\nPING\r\n").utf8)
    }

    /// `NATS/1.0\r\nName: value\r\n…\r\n`, what `HPUB` sends before the payload; nil without headers.
    static func headerBlock(_ headers: [Workload.Header]) -> [UInt8]? {
        guard !headers.isEmpty else { return nil }
        return Array(("NATS/1.0\r\n" + headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n").utf8)
    }

    /// `CONNECT {...}\r\n`: no `+OK` per operation (`verbose: false`), headers allowed, and a status rather than
    /// silence for a request no one answers (`no_responders`).
    static func connectLine(user: String?, password: String?) -> String {
        var fields: [String: Any] = [
            "verbose": false, "pedantic": false, "lang": "swift", "version": StackLabVersion.current,
            "protocol": 1, "headers": true, "no_responders": true, "name": "stacklab",
        ]
        if let user { fields["user"] = user }
        if let password { fields["pass"] = password }
        let json = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return "CONNECT \(String(decoding: json, as: UTF8.self))\r\n"
    }

    mutating func writeRequest(
        into out: inout ByteBuffer, connection: Int, due: Int64
    ) -> (bytes: Int, expectation: Void) {
        let message = publish.begin(&out, connection: connection, due: due)
        out.writeBytes(publishLines[message.topic])
        publish.writePayload(into: &out, message)
        out.writeBytes(trailer)
        return publish.finish(out, message)
    }

    func makeParser() -> NATSReplyParser { NATSReplyParser(jetstream: jetstream) }

    func writeGreeting(into out: inout ByteBuffer) -> Bool {
        out.writeString(greeting)
        return true
    }
}

/// A producer connection's replies: the greeting's `PONG`, then one acknowledgement per message: a `PONG` (core
/// NATS) or a `PubAck` on the inbox (JetStream; an error `PubAck` or a no-responders status refuses the
/// message). `INFO`, `+OK` and `PING` are read past; an `-ERR` ends the connection (the server closes it after
/// most).
struct NATSReplyParser: ReplyParser {
    typealias Expectation = Void
    private var frames = NATSFrameParser()
    private let jetstream: Bool
    private static let errorPrefix = Array("{\"error\"".utf8)

    init(jetstream: Bool = false) {
        self.jetstream = jetstream
    }

    var isIdle: Bool { frames.isIdle }

    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (consumed: Int, reply: ParsedReply?) {
        var index = offset
        while index < bytes.count {
            let step = try frames.next(bytes, from: index)
            index += step.consumed
            switch step.frame {
            case .pong: return (index - offset, ParsedReply(outcome: .acknowledged))
            case .error(let text): throw NATSFrameParser.ProtocolError(description: text)
            case .none: return (index - offset, nil)
            case .message(_, _, let headerBytes, let payloadBytes, _) where jetstream:
                let refused = (headerBytes > 0 && payloadBytes == 0) || frames.head.starts(with: Self.errorPrefix)
                return (index - offset, ParsedReply(outcome: refused ? .refused : .acknowledged))
            case .info, .ok, .ping, .message: continue
            }
        }
        return (index - offset, nil)
    }

    mutating func replyAtClose() throws -> ParsedReply? { nil }
}
