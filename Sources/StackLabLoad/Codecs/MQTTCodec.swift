import Foundation
import NIOCore
import StackLabCore

/// MQTT 3.1.1 as a messaging run's producers speak it: each request publishes one stamped message to its
/// producer's topic at the workload's QoS, and what acknowledges it depends on the QoS:
///
/// - QoS 0: the broker acknowledges nothing, so each `PUBLISH` is followed by a `PINGREQ`, and the `PINGRESP`
///   answering it is the acknowledgement (the broker handles a connection's packets in order), as core NATS's
///   `PONG` is: publish latency is a write and a round trip, not a delivery.
/// - QoS 1: until the `PUBACK`.
/// - QoS 2: until the `PUBCOMP`; the `PUBREC` before it is answered with a `PUBREL` at once.
///
/// The packet identifier is the message's sequence number modulo 65,535 (never 0), unique among the at most
/// `in_flight` messages unacknowledged. A new connection sends `CONNECT` (clean session, keep-alive off, the
/// target's user and password); an accepting `CONNACK` completes the greeting, a refusing one fails the
/// connection.
struct MQTTCodec: MessageCodec {
    private let publish: StampedPublish
    /// Each topic's fixed header and topic name, encoded once.
    private let publishHeads: [[UInt8]]
    private let qos: MQTTPacket.QoS
    private let greeting: [UInt8]

    init(options: LoadOptions, messaging: Workload.Messaging, ledger: PublishLedger) {
        self.publish = StampedPublish(messaging: messaging, ledger: ledger)
        let qos = MQTTPacket.QoS(rawValue: UInt8(messaging.qos ?? 1)) ?? .atLeastOnce
        self.qos = qos
        publishHeads = (0..<messaging.topics).map { topic in
            let name = Array(MessagingPlan.topicName(messaging, topic: topic).utf8)
            var head: [UInt8] = [3 << 4 | qos.rawValue << 1]
            head.appendRemainingLength(2 + name.count + (qos == .atMostOnce ? 0 : 2) + messaging.messageSize)
            head.append(uint16: UInt16(name.count))
            return head + name
        }
        greeting = MQTTPacket.connect(
            Self.connect(
                clientID: "stacklab-p\(ledger.first)", user: options.target.user, password: options.target.password)
        ).encoded()
    }

    /// A CONNECT of a clean session with keep-alive off (the run's connections are never idle long), a process-
    /// unique client identifier and the target's credentials.
    static func connect(clientID: String, user: String?, password: String?) -> MQTTPacket.Connect {
        MQTTPacket.Connect(
            clientID: "\(clientID)-\(ProcessInfo.processInfo.processIdentifier)", cleanSession: true, keepAlive: 0,
            user: user, password: password.map { Array($0.utf8) })
    }

    mutating func writeRequest(
        into out: inout ByteBuffer, connection: Int, due: Int64
    ) -> (bytes: Int, expectation: Void) {
        let message = publish.begin(&out, connection: connection, due: due)
        out.writeBytes(publishHeads[message.topic])
        if qos != .atMostOnce { out.writeInteger(UInt16((message.stamp.sequence - 1) % 65_535 + 1)) }
        publish.writePayload(into: &out, message)
        if qos == .atMostOnce { out.writeBytes(MQTTPacket.pingreq.encoded()) }
        return publish.finish(out, message)
    }

    func makeParser() -> MQTTReplyParser { MQTTReplyParser(qos: qos) }

    func writeGreeting(into out: inout ByteBuffer) -> Bool {
        out.writeBytes(greeting)
        return true
    }
}

/// A producer connection's replies: the greeting's `CONNACK`, then one acknowledgement per message at the QoS's
/// packet (`PINGRESP`, `PUBACK` or `PUBCOMP`); a `PUBREC` is answered with a `PUBREL`. A refusing `CONNACK` or
/// bytes that are no MQTT packet end the connection.
struct MQTTReplyParser: ReplyParser {
    typealias Expectation = Void
    private var packets = MQTTPacketParser(maximumRemainingLength: 1 << 20)
    private let qos: MQTTPacket.QoS
    /// `PUBREL`s owed for the `PUBREC`s read.
    private var releases: [UInt16] = []

    /// A CONNACK that refuses the connection.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    init(qos: MQTTPacket.QoS) {
        self.qos = qos
    }

    var isIdle: Bool { packets.isIdle }

    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (consumed: Int, reply: ParsedReply?) {
        var index = offset
        while index < bytes.count {
            let step = try packets.parse(bytes, from: index)
            index += step.consumed
            switch step.frame {
            case .connack(_, let code) where code != .accepted:
                throw Refused(description: "MQTT CONNECT refused: \(code)")
            case .connack,
                .pingresp where qos == .atMostOnce, .puback where qos == .atLeastOnce,
                .pubcomp where qos == .exactlyOnce:
                return (index - offset, ParsedReply(outcome: .acknowledged))
            case .pubrec(let id):
                releases.append(id)
            case .none: return (index - offset, nil)
            default: continue
            }
        }
        return (index - offset, nil)
    }

    mutating func writeAnswers(into out: inout ByteBuffer) {
        for id in releases { out.writeBytes(MQTTPacket.pubrel(packetID: id).encoded()) }
        releases.removeAll(keepingCapacity: true)
    }

    mutating func replyAtClose() throws -> ParsedReply? { nil }
}
