extension MQTTPacket {
    /// The largest remaining length the 4-byte varint can say (256 MiB - 1).
    static let maximumRemainingLength = 268_435_455

    /// The packet's bytes: fixed header (type, flags, remaining length), variable header, payload.
    ///
    /// A payload larger than MQTT's 256 MiB is a programmer error.
    func encoded() -> [UInt8] {
        var body: [UInt8] = []
        var flags: UInt8 = 0
        switch self {
        case .connect(let connect):
            body.appendMQTTString("MQTT")
            body.append(4)  // protocol level 3.1.1
            var connectFlags: UInt8 = connect.cleanSession ? 0x02 : 0
            if connect.user != nil { connectFlags |= 0x80 }
            if connect.password != nil { connectFlags |= 0x40 }
            body.append(connectFlags)
            body.append(uint16: connect.keepAlive)
            body.appendMQTTString(connect.clientID)
            if let user = connect.user { body.appendMQTTString(user) }
            if let password = connect.password { body.appendMQTTBytes(password) }
        case .connack(let sessionPresent, let code):
            body = [sessionPresent ? 1 : 0, code.rawValue]
        case .publish(let publish):
            flags = publish.qos.rawValue << 1 | (publish.duplicate ? 0x08 : 0) | (publish.retain ? 0x01 : 0)
            body.appendMQTTString(publish.topic)
            if publish.qos != .atMostOnce { body.append(uint16: publish.packetID ?? 0) }
            body += publish.payload
        case .puback(let id), .pubrec(let id), .pubcomp(let id):
            body.append(uint16: id)
        case .pubrel(let id):
            flags = 0x02
            body.append(uint16: id)
        case .subscribe(let id, let subscriptions):
            flags = 0x02
            body.append(uint16: id)
            for subscription in subscriptions {
                body.appendMQTTString(subscription.topicFilter)
                body.append(subscription.qos.rawValue)
            }
        case .suback(let id, let codes):
            body.append(uint16: id)
            body += codes
        case .pingreq, .pingresp, .disconnect:
            break
        }
        precondition(body.count <= Self.maximumRemainingLength, "an MQTT packet holds at most 256 MiB")
        var packet: [UInt8] = [typeCode << 4 | flags]
        packet.appendRemainingLength(body.count)
        return packet + body
    }
}

extension Array where Element == UInt8 {
    /// MQTT's variable byte integer: 7 bits a byte, least significant first, the high bit saying more follow.
    mutating func appendRemainingLength(_ length: Int) {
        var value = length
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value > 0 { byte |= 0x80 }
            append(byte)
        } while value > 0
    }

    /// A UTF-8 string with its 2-byte length.
    mutating func appendMQTTString(_ text: String) {
        appendMQTTBytes(Array(text.utf8))
    }

    /// Binary data with its 2-byte length (a password).
    mutating func appendMQTTBytes(_ bytes: [UInt8]) {
        append(uint16: UInt16(Swift.min(bytes.count, Int(UInt16.max))))
        append(contentsOf: bytes.prefix(Int(UInt16.max)))
    }
}
