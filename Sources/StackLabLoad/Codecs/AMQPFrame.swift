/// One AMQP 0-9-1 frame: type, channel, size, payload and the frame-end octet on the wire.
enum AMQPFrame: Equatable, Sendable {
    case method(channel: UInt16, AMQPMethod)
    case header(channel: UInt16, AMQPContentHeader)
    case body(channel: UInt16, [UInt8])
    case heartbeat
    /// What a broker sends before it closes a connection whose protocol header it does not take: its own
    /// header (`AMQP` and the version it speaks).
    case protocolMismatch(serverHeader: [UInt8])

    /// What a client sends first: `AMQP`, 0, then version 0-9-1.
    static let protocolHeader: [UInt8] = Array("AMQP".utf8) + [0, 0, 9, 1]
    /// The octet that closes every frame.
    static let frameEnd: UInt8 = 0xCE
    /// Bytes a frame adds around its payload: type, channel, size, and the frame end.
    static let overhead = 8

    var typeCode: UInt8 {
        switch self {
        case .method: 1
        case .header: 2
        case .body: 3
        case .heartbeat: 8
        case .protocolMismatch: UInt8(ascii: "A")
        }
    }

    /// The frame's bytes.
    func encoded() -> [UInt8] {
        if case .protocolMismatch(let header) = self { return header }
        let (channel, payload): (UInt16, [UInt8]) =
            switch self {
            case .method(let number, let method): (number, method.encoded())
            case .header(let number, let header): (number, header.encoded())
            case .body(let number, let bytes): (number, bytes)
            case .heartbeat, .protocolMismatch: (0, [])
            }
        var out: [UInt8] = [typeCode]
        out.reserveCapacity(payload.count + Self.overhead)
        out.append(uint16: channel)
        out.append(uint32: UInt32(payload.count))
        out += payload
        out.append(Self.frameEnd)
        return out
    }

    /// A message published on `channel`: `Basic.Publish`, its content header, and its body cut into frames of at
    /// most `frameMax` bytes each (the size the broker's `Connection.Tune` allowed; 0 means no limit).
    static func publish(
        channel: UInt16, exchange: String = "", routingKey: String, mandatory: Bool = false,
        properties: AMQPContentHeader.Properties = .init(), body: [UInt8], frameMax: UInt32 = 131_072
    ) -> [AMQPFrame] {
        var frames: [AMQPFrame] = [
            .method(channel: channel, .basicPublish(exchange: exchange, routingKey: routingKey, mandatory: mandatory)),
            .header(channel: channel, .init(bodySize: UInt64(body.count), properties: properties)),
        ]
        let piece = frameMax == 0 ? max(body.count, 1) : Int(frameMax) - overhead
        var start = 0
        while start < body.count {
            let end = min(start + piece, body.count)
            frames.append(.body(channel: channel, Array(body[start..<end])))
            start = end
        }
        return frames
    }
}

/// A broker's `Connection.Close` or `Channel.Close` as the one line a user reads: `403 ACCESS_REFUSED - Login
/// was refused…`, with what to check for the codes a user meets.
struct AMQPRefusal: Error, Equatable, CustomStringConvertible {
    var close: AMQPMethod.Close
    /// Whether the connection (not only a channel) was closed.
    var connection: Bool

    var description: String {
        let scope = connection ? "closed the connection" : "closed the channel"
        let hint: String
        switch close.replyCode {
        case 403: hint = " (check the user, password and virtual host)"
        case 404: hint = " (declare the queue or exchange first)"
        case 530: hint = " (check the virtual host)"
        default: hint = ""
        }
        return "the AMQP broker \(scope): \(close.replyCode) \(close.replyText)\(hint)"
    }
}
