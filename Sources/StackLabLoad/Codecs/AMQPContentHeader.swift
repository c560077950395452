/// The content header frame after `Basic.Publish` or `Basic.Deliver`: the body's size and the message's
/// properties. Each property is present when its flag bit is set, in the specification's order.
struct AMQPContentHeader: Equatable, Sendable {
    var classID: UInt16 = 60
    var bodySize: UInt64
    var properties = Properties()

    /// The basic class's properties. `deliveryMode` 2 is persistent, 1 transient.
    struct Properties: Equatable, Sendable {
        var contentType: String?
        var contentEncoding: String?
        var headers: AMQPFieldTable?
        var deliveryMode: UInt8?
        var priority: UInt8?
        var correlationID: String?
        var replyTo: String?
        var expiration: String?
        var messageID: String?
        /// Seconds since the epoch.
        var timestamp: UInt64?
        var type: String?
        var userID: String?
        var appID: String?
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.append(uint16: classID)
        out.append(uint16: 0)
        out.append(uint64: bodySize)
        var flags: UInt16 = 0
        var list: [UInt8] = []
        // Bit 15 is the first property; bits 2 (cluster id, deprecated), 1 and 0 (more flags) are never set.
        func short(_ value: String?, _ bit: UInt16) {
            guard let value else { return }
            flags |= 1 << bit
            list.appendAMQPShortString(value)
        }
        let p = properties
        short(p.contentType, 15)
        short(p.contentEncoding, 14)
        if let headers = p.headers {
            flags |= 1 << 13
            headers.encode(into: &list)
        }
        if let mode = p.deliveryMode {
            flags |= 1 << 12
            list.append(mode)
        }
        if let priority = p.priority {
            flags |= 1 << 11
            list.append(priority)
        }
        short(p.correlationID, 10)
        short(p.replyTo, 9)
        short(p.expiration, 8)
        short(p.messageID, 7)
        if let timestamp = p.timestamp {
            flags |= 1 << 6
            list.append(uint64: timestamp)
        }
        short(p.type, 5)
        short(p.userID, 4)
        short(p.appID, 3)
        out.append(uint16: flags)
        return out + list
    }

    static func decode(_ payload: [UInt8]) throws(FramingError) -> AMQPContentHeader {
        var reader = ByteReader(payload, protocol: "AMQP")
        let classID = try reader.uint16()
        _ = try reader.uint16()
        var header = AMQPContentHeader(classID: classID, bodySize: try reader.uint64())
        let flags = try reader.uint16()
        guard flags & 1 == 0 else { throw reader.failure("a content header with more than 16 property flags") }
        func has(_ bit: UInt16) -> Bool { flags & 1 << bit != 0 }
        func short(_ bit: UInt16) throws(FramingError) -> String? {
            guard has(bit) else { return nil }
            return try reader.amqpShortString()
        }
        var p = Properties()
        p.contentType = try short(15)
        p.contentEncoding = try short(14)
        if has(13) { p.headers = try AMQPFieldTable.decode(&reader) }
        if has(12) { p.deliveryMode = try reader.uint8() }
        if has(11) { p.priority = try reader.uint8() }
        p.correlationID = try short(10)
        p.replyTo = try short(9)
        p.expiration = try short(8)
        p.messageID = try short(7)
        if has(6) { p.timestamp = try reader.uint64() }
        p.type = try short(5)
        p.userID = try short(4)
        p.appID = try short(3)
        _ = try short(2)
        header.properties = p
        guard reader.remaining == 0 else {
            throw reader.failure("a content header has \(reader.remaining) bytes more than its properties")
        }
        return header
    }
}
