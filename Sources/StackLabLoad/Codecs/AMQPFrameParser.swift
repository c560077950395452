/// Finds AMQP 0-9-1 frames in a connection's byte stream, one value per connection: bytes may arrive cut anywhere
/// and several frames may come in one read. A frame larger than `maximumFrameSize` is refused before it is
/// buffered, as a client refuses what exceeds the frame-max it tuned.
struct AMQPFrameParser: FrameParser {
    var maximumFrameSize: Int
    private var pending: [UInt8] = []
    private var frameSize: Int?

    init(maximumFrameSize: Int = 131_072) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// True between frames.
    var isIdle: Bool { pending.isEmpty }

    /// Parses from `offset` up to the end of the first complete frame: the bytes consumed and the frame, if one
    /// was completed.
    ///
    /// - Throws: `FramingError` for bytes that are no AMQP frame, a frame without its end octet, or a method
    ///   this client does not handle.
    mutating func parse(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws(FramingError) -> (consumed: Int, frame: AMQPFrame?) {
        var index = offset
        while index < bytes.count {
            // The first byte says what follows: a frame header of 7 bytes, or a protocol header of 8 ("AMQP…").
            let wanted =
                frameSize
                ?? (pending.isEmpty ? 1 : pending[0] == UInt8(ascii: "A") ? AMQPFrame.protocolHeader.count : 7)
            let take = min(wanted - pending.count, bytes.count - index)
            pending.append(contentsOf: bytes[index..<index + take])
            index += take
            guard pending.count == wanted, pending.count > 1 else { continue }
            if frameSize == nil, pending[0] != UInt8(ascii: "A") {
                let size = Int(pending[3]) << 24 | Int(pending[4]) << 16 | Int(pending[5]) << 8 | Int(pending[6])
                guard size + AMQPFrame.overhead <= maximumFrameSize else {
                    throw Self.failure("a frame of \(size) bytes is over the frame-max of \(maximumFrameSize)")
                }
                frameSize = 7 + size + 1
                continue
            }
            let frame = try Self.decode(pending)
            pending.removeAll(keepingCapacity: true)
            frameSize = nil
            return (index - offset, frame)
        }
        return (index - offset, nil)
    }

    private static func failure(_ message: String) -> FramingError {
        FramingError(wireProtocol: "AMQP", message: message)
    }

    /// Decodes one whole frame, its end octet included.
    static func decode(_ frame: [UInt8]) throws(FramingError) -> AMQPFrame {
        if frame[0] == UInt8(ascii: "A") {
            guard frame.starts(with: Array("AMQP".utf8)) else { throw failure("frame type 65 is not AMQP's") }
            return .protocolMismatch(serverHeader: frame)
        }
        guard frame.last == AMQPFrame.frameEnd else {
            throw failure("a frame does not end with 0xCE (got \(frame.last ?? 0)); the stream is out of step")
        }
        let channel = UInt16(frame[1]) << 8 | UInt16(frame[2])
        let payload = Array(frame[7..<frame.count - 1])
        switch frame[0] {
        case 1: return .method(channel: channel, try AMQPMethod.decode(payload))
        case 2: return .header(channel: channel, try AMQPContentHeader.decode(payload))
        case 3: return .body(channel: channel, payload)
        case 8: return .heartbeat
        default: throw failure("frame type \(frame[0]) is not one of AMQP 0-9-1's")
        }
    }
}
