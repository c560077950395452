import NIOCore
import NIOEmbedded
import Testing

@testable import StackLabMySQL

/// Packet framing without a server: sequence ids, and payloads of 16 MiB or more split and joined.
struct MySQLPacketTests {
    func roundTrip(_ size: Int) throws -> (frames: Int, packets: [MySQLPacket]) {
        var payload = ByteBuffer()
        payload.writeRepeatingByte(0x5A, count: size - 1)
        payload.writeInteger(UInt8(0xA5))
        var wire = ByteBuffer()
        let next = MySQLPacket.write(payload, sequenceID: 3, into: &wire)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MySQLPacketDecoder()))
        // In uneven pieces, as TCP delivers them.
        while wire.readableBytes > 0 {
            let piece = wire.readSlice(length: min(wire.readableBytes, 1_000_003))!
            try channel.writeInbound(piece)
        }
        var packets: [MySQLPacket] = []
        while let packet = try channel.readInbound(as: MySQLPacket.self) { packets.append(packet) }
        _ = try channel.finish()
        #expect(packets.map(\.payload) == [payload])
        return (Int(next &- 3), packets)
    }

    @Test func smallPayloadIsOneFrame() throws {
        let (frames, packets) = try roundTrip(100)
        #expect(frames == 1)
        #expect(packets.first?.sequenceID == 3)
    }

    @Test func payloadOf16MiBOrMoreIsSplitAndJoined() throws {
        #expect(try roundTrip(MySQLPacket.maximumFrame + 10).frames == 2)
        // Exactly one full frame is followed by an empty one, so the reader knows it ended.
        let exact = try roundTrip(MySQLPacket.maximumFrame)
        #expect(exact.frames == 2)
        #expect(exact.packets.first?.sequenceID == 4)
    }

    @Test func lengthEncodedIntegersRoundTrip() {
        for value: UInt64 in [0, 250, 251, 0xFFFF, 0x1_0000, 0xFF_FFFF, 0x100_0000, UInt64.max] {
            var buffer = ByteBuffer()
            buffer.writeLengthEncodedInteger(value)
            #expect(buffer.readLengthEncodedInteger() == value)
            #expect(buffer.readableBytes == 0)
        }
    }
}
