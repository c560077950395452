import NIOCore

/// One MySQL protocol packet: a payload and its sequence id. Payloads of 16 MiB or more travel as
/// several frames of `maximumFrame` bytes, which the decoder joins and `write(_:sequenceID:into:)` splits.
struct MySQLPacket {
    /// The largest payload one frame carries; a frame this full is continued by the next.
    static let maximumFrame = 0xFF_FFFF

    var sequenceID: UInt8
    var payload: ByteBuffer

    /// The payload's first byte: 0x00 OK, 0xFF ERR, 0xFE EOF or auth switch, otherwise data.
    var header: UInt8? { payload.getInteger(at: payload.readerIndex) }

    var isError: Bool { header == 0xFF }
    var isOK: Bool { header == 0x00 }
    /// An EOF packet (or, with `CLIENT_DEPRECATE_EOF`, an OK that ends rows): 0xFE and short. A row that
    /// starts with 0xFE is a length-encoded string of 16 MiB or more, so never this short.
    var isEOF: Bool { header == 0xFE && payload.readableBytes < 9 }

    /// Writes `payload` as frames starting at `sequenceID`; returns the next sequence id.
    @discardableResult
    static func write(_ payload: ByteBuffer, sequenceID: UInt8, into buffer: inout ByteBuffer) -> UInt8 {
        var payload = payload
        var sequence = sequenceID
        while true {
            let length = min(payload.readableBytes, maximumFrame)
            buffer.writeInteger(UInt32(length) | UInt32(sequence) << 24, endianness: .little)
            var slice = payload.readSlice(length: length)!
            buffer.writeBuffer(&slice)
            sequence &+= 1
            // A payload of an exact multiple of the frame size ends with an empty frame.
            if length < maximumFrame { return sequence }
        }
    }
}

/// Cuts the byte stream into packets, joining the frames of a payload of 16 MiB or more.
struct MySQLPacketDecoder: ByteToMessageDecoder {
    typealias InboundOut = MySQLPacket

    private var pending: ByteBuffer?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let header = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt32.self) else {
            return .needMoreData
        }
        let length = Int(header & 0xFF_FFFF)
        let sequenceID = UInt8(header >> 24)
        guard buffer.readableBytes >= 4 + length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        var frame = buffer.readSlice(length: length)!
        if length == MySQLPacket.maximumFrame {
            if pending == nil { pending = context.channel.allocator.buffer(capacity: length * 2) }
            pending!.writeBuffer(&frame)
            return .continue
        }
        if var joined = pending {
            joined.writeBuffer(&frame)
            pending = nil
            context.fireChannelRead(wrapInboundOut(MySQLPacket(sequenceID: sequenceID, payload: joined)))
        } else {
            context.fireChannelRead(wrapInboundOut(MySQLPacket(sequenceID: sequenceID, payload: frame)))
        }
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}
