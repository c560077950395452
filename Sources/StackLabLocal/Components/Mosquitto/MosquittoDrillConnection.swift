import Foundation
import StackLabCore

/// A plain blocking MQTT 3.1.1 client connection on 127.0.0.1 for Mosquitto's durability drill (on a
/// `DrillSocket`): CONNECT with a clean or a persistent session, SUBSCRIBE at QoS 1, QoS 1 PUBLISH and PUBACK
/// both ways. StackLabLocal does not import the load engine's MQTT codec (StackLabLoad), so the few packets the
/// drill needs are written here; a test checks them against it. One thread uses it at a time.
final class MosquittoDrillConnection: @unchecked Sendable {
    /// A packet from the broker: its first byte (type and flags) and what follows the remaining length.
    struct Packet {
        var head: UInt8
        var body: [UInt8]

        var type: UInt8 { head >> 4 }
    }

    private let socket: DrillSocket

    /// Connects as `clientID`, with a clean session or the one the broker keeps for it.
    ///
    /// - Parameter timeout: the longest wait for the connection and for any one read.
    init(port: Int, clientID: String, cleanSession: Bool, timeout: Duration) throws {
        socket = try DrillSocket(port: port, broker: "mosquitto", timeout: timeout)
        try socket.send(Self.connectPacket(clientID: clientID, cleanSession: cleanSession))
        let answer = try nextPacket()
        guard answer.type == 2, answer.body.count == 2 else {
            throw UserError("mosquitto answered CONNECT with packet type \(answer.type), not CONNACK")
        }
        guard answer.body[1] == 0 else {
            throw UserError("mosquitto refused the drill's CONNECT with return code \(answer.body[1])")
        }
    }

    /// Subscribes to `topic` at QoS 1 and waits until the broker grants it.
    func subscribe(_ topic: String) throws {
        try socket.send(Self.subscribePacket(topic, packetID: 1))
        let answer = try nextPacket()
        guard answer.type == 9, answer.body.count == 3, answer.body[2] == 1 else {
            throw UserError("mosquitto did not grant the drill's QoS 1 subscription to \(topic)")
        }
    }

    /// Publishes `payload` on `topic` at QoS 1 as packet `packetID`.
    func publish(_ payload: [UInt8], to topic: String, packetID: UInt16) throws {
        try socket.send(Self.publishPacket(payload, to: topic, packetID: packetID))
    }

    /// Acknowledges the QoS 1 message `packetID`.
    func puback(_ packetID: UInt16) throws {
        try socket.send([0x40, 2, UInt8(packetID >> 8), UInt8(packetID & 0xFF)])
    }

    /// Sends DISCONNECT and waits (up to the read timeout) until the broker has closed the connection, so that
    /// the session is offline before the drill goes on.
    func disconnect() {
        try? socket.send([0xE0, 0])
        _ = try? socket.read(1)
    }

    /// The next packet; nil when none can be read before `deadline`.
    func nextPacket(before deadline: ContinuousClock.Instant) throws -> Packet? {
        guard socket.hasBytes(before: deadline) else { return nil }
        return try nextPacket()
    }

    /// The next packet.
    ///
    /// - Throws: `DrillSocket.TimedOut` when none comes within the read timeout.
    func nextPacket() throws -> Packet {
        let head = try socket.read(1)[0]
        var length = 0
        for shift in stride(from: 0, through: 21, by: 7) {
            let byte = try socket.read(1)[0]
            length |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Packet(head: head, body: try socket.read(length)) }
        }
        throw UserError("mosquitto sent a packet with a malformed remaining length")
    }

    /// A PUBLISH's payload and packet identifier (nil at QoS 0); nil for any other packet.
    static func message(in packet: Packet) -> (payload: [UInt8], packetID: UInt16?)? {
        guard packet.type == 3, packet.body.count >= 2 else { return nil }
        let qos = (packet.head >> 1) & 3
        let topicEnd = 2 + (Int(packet.body[0]) << 8 | Int(packet.body[1]))
        let idEnd = topicEnd + (qos > 0 ? 2 : 0)
        guard packet.body.count >= idEnd else { return nil }
        let packetID: UInt16? = qos > 0 ? UInt16(packet.body[topicEnd]) << 8 | UInt16(packet.body[topicEnd + 1]) : nil
        return (Array(packet.body[idEnd...]), packetID)
    }
}

extension MosquittoDrillConnection {
    /// CONNECT at protocol level 4, keep-alive 60 s, no will, user or password.
    static func connectPacket(clientID: String, cleanSession: Bool) -> [UInt8] {
        var body = string("MQTT")
        body += [4, cleanSession ? 0x02 : 0, 0, 60]
        body += string(clientID)
        return packet(0x10, body)
    }

    static func subscribePacket(_ topic: String, packetID: UInt16) -> [UInt8] {
        var body: [UInt8] = [UInt8(packetID >> 8), UInt8(packetID & 0xFF)]
        body += string(topic)
        body.append(1)
        return packet(0x82, body)
    }

    static func publishPacket(_ payload: [UInt8], to topic: String, packetID: UInt16) -> [UInt8] {
        var body = string(topic)
        body += [UInt8(packetID >> 8), UInt8(packetID & 0xFF)]
        body += payload
        return packet(0x32, body)
    }

    /// The first byte, the remaining length (7 bits a byte, least significant first), the rest.
    private static func packet(_ head: UInt8, _ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [head]
        var length = body.count
        repeat {
            out.append(UInt8(length & 0x7F) | (length > 0x7F ? 0x80 : 0))
            length >>= 7
        } while length > 0
        return out + body
    }

    /// A UTF-8 string with its 2-byte length.
    private static func string(_ text: String) -> [UInt8] {
        [UInt8(text.utf8.count >> 8), UInt8(text.utf8.count & 0xFF)] + Array(text.utf8)
    }
}
