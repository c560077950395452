import NIOCore

/// What every message of a messaging run starts with, whatever the broker: which producer sent it, its sequence
/// number from that producer (1, 2, …) and its intended send time, so that a consumer measures end-to-end latency
/// from the schedule (not from a late send: coordinated omission) and counts loss, duplicates and order exactly.
///
/// 24 bytes, big-endian: `SLM1`, producer (UInt32), sequence (UInt64), intended send time (uptime nanoseconds,
/// Int64; producer and consumer share the process's monotonic clock).
struct MessageStamp: Equatable, Sendable {
    static let size = 24
    static let magic: UInt32 = 0x534C_4D31

    var producer: Int
    var sequence: UInt64
    var intended: Int64

    func write(into out: inout ByteBuffer) {
        out.writeInteger(Self.magic)
        out.writeInteger(UInt32(truncatingIfNeeded: producer))
        out.writeInteger(sequence)
        out.writeInteger(intended)
    }

    /// The stamp at the start of `bytes`; nil when they are shorter or hold no stamp (a message not of this run).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.size, Self.load(UInt32.self, bytes, at: 0) == Self.magic else { return nil }
        producer = Int(Self.load(UInt32.self, bytes, at: 4))
        sequence = Self.load(UInt64.self, bytes, at: 8)
        intended = Int64(bitPattern: Self.load(UInt64.self, bytes, at: 16))
    }

    init(producer: Int, sequence: UInt64, intended: Int64) {
        self.producer = producer
        self.sequence = sequence
        self.intended = intended
    }

    private static func load<T: FixedWidthInteger>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> T
    {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
