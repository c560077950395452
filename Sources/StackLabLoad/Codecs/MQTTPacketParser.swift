/// Finds MQTT 3.1.1 packets in a connection's byte stream, one value per connection: bytes may arrive cut
/// anywhere (inside the remaining-length varint too) and several packets may come in one read.
struct MQTTPacketParser: FrameParser {
    /// The largest packet body accepted; a longer one is refused before it is buffered.
    let maximumRemainingLength: Int
    /// The bytes of the packet being read: fixed header first.
    private var pending: [UInt8] = []
    /// The whole packet's size once its fixed header is complete.
    private var packetSize: Int?

    init(maximumRemainingLength: Int = MQTTPacket.maximumRemainingLength) {
        self.maximumRemainingLength = maximumRemainingLength
    }

    /// True between packets.
    var isIdle: Bool { pending.isEmpty }

    /// Parses from `offset` up to the end of the first complete packet: the bytes consumed and the packet, if
    /// one was completed.
    ///
    /// - Throws: `FramingError` for bytes that are no MQTT packet a client receives or sends.
    mutating func parse(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws(FramingError) -> (consumed: Int, frame: MQTTPacket?) {
        var index = offset
        while index < bytes.count {
            if let size = packetSize {
                let take = min(size - pending.count, bytes.count - index)
                pending.append(contentsOf: bytes[index..<index + take])
                index += take
            } else {
                pending.append(bytes[index])
                index += 1
                packetSize = try fixedHeaderSize()
            }
            if let size = packetSize, pending.count == size {
                let packet = try Self.decode(pending)
                pending.removeAll(keepingCapacity: true)
                packetSize = nil
                return (index - offset, packet)
            }
        }
        return (index - offset, nil)
    }

    /// The packet's total size once the fixed header in `pending` is complete; nil while the varint goes on.
    private func fixedHeaderSize() throws(FramingError) -> Int? {
        var length = 0
        for (position, byte) in pending.dropFirst().enumerated() {
            length |= Int(byte & 0x7F) << (7 * position)
            guard byte & 0x80 != 0 else {
                guard length <= maximumRemainingLength else {
                    throw Self.failure("a packet of \(length) bytes is over the limit of \(maximumRemainingLength)")
                }
                return 1 + (position + 1) + length
            }
            guard position < 3 else { throw Self.failure("the remaining length runs over 4 bytes") }
        }
        return nil
    }

    private static func failure(_ message: String) -> FramingError {
        FramingError(wireProtocol: "MQTT", message: message)
    }

    /// Decodes one whole packet.
    static func decode(_ packet: [UInt8]) throws(FramingError) -> MQTTPacket {
        let type = packet[0] >> 4
        let flags = packet[0] & 0x0F
        var reader = ByteReader(packet, protocol: "MQTT")
        _ = try reader.uint8()
        while try reader.uint8() & 0x80 != 0 {}
        let requiredFlags: [UInt8: UInt8] = [6: 0x02, 8: 0x02]
        if type != 3, flags != requiredFlags[type, default: 0] {
            throw failure("packet type \(type) has flags \(flags)")
        }
        let decoded: MQTTPacket
        switch type {
        case 1: decoded = .connect(try connect(&reader))
        case 2:
            let acknowledge = try reader.uint8()
            decoded = .connack(sessionPresent: acknowledge & 1 == 1, returnCode: .init(rawValue: try reader.uint8()))
        case 3: decoded = .publish(try publish(&reader, flags: flags))
        case 4: decoded = .puback(packetID: try reader.uint16())
        case 5: decoded = .pubrec(packetID: try reader.uint16())
        case 6: decoded = .pubrel(packetID: try reader.uint16())
        case 7: decoded = .pubcomp(packetID: try reader.uint16())
        case 8:
            let id = try reader.uint16()
            var subscriptions: [MQTTPacket.Subscription] = []
            while reader.remaining > 0 {
                let filter = try string(&reader)
                guard let qos = MQTTPacket.QoS(rawValue: try reader.uint8()) else {
                    throw failure("a subscription asks for a QoS that is not 0, 1 or 2")
                }
                subscriptions.append(.init(topicFilter: filter, qos: qos))
            }
            guard !subscriptions.isEmpty else { throw failure("SUBSCRIBE without a topic filter") }
            decoded = .subscribe(packetID: id, subscriptions: subscriptions)
        case 9: decoded = .suback(packetID: try reader.uint16(), returnCodes: reader.rest())
        case 12: decoded = .pingreq
        case 13: decoded = .pingresp
        case 14: decoded = .disconnect
        default: throw failure("packet type \(type) is not one this client handles")
        }
        guard reader.remaining == 0 else {
            throw failure("packet type \(type) has \(reader.remaining) bytes more than its fields")
        }
        return decoded
    }

    private static func string(_ reader: inout ByteReader) throws(FramingError) -> String {
        try reader.text(Int(try reader.uint16()))
    }

    private static func connect(_ reader: inout ByteReader) throws(FramingError) -> MQTTPacket.Connect {
        let name = try string(&reader)
        let level = try reader.uint8()
        guard name == "MQTT", level == 4 else {
            throw failure("CONNECT for protocol \(name) level \(level), not MQTT 3.1.1 (level 4)")
        }
        let flags = try reader.uint8()
        guard flags & 0x04 == 0 else { throw failure("CONNECT with a will message is not handled") }
        var connect = MQTTPacket.Connect(
            clientID: "", cleanSession: flags & 0x02 != 0, keepAlive: try reader.uint16())
        connect.clientID = try string(&reader)
        if flags & 0x80 != 0 { connect.user = try string(&reader) }
        if flags & 0x40 != 0 { connect.password = try reader.bytes(Int(try reader.uint16())) }
        return connect
    }

    private static func publish(_ reader: inout ByteReader, flags: UInt8) throws(FramingError) -> MQTTPacket.Publish {
        guard let qos = MQTTPacket.QoS(rawValue: flags >> 1 & 0x03) else { throw failure("PUBLISH with QoS 3") }
        var publish = MQTTPacket.Publish(
            topic: try string(&reader), payload: [], qos: qos, retain: flags & 0x01 != 0,
            duplicate: flags & 0x08 != 0)
        if qos != .atMostOnce { publish.packetID = try reader.uint16() }
        publish.payload = reader.rest()
        return publish
    }
}
