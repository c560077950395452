import NIOCore

/// Writes the commands of a key-value workload in RESP, straight into a connection's reused buffer.
///
/// `GET user<hash>` and `SET user<hash> <value>` are written digit by digit, with no string built per
/// request. Every `SET` writes the same value of the configured size: Redis stores it without looking
/// at it, so its content changes nothing measured.
struct RESPCommandWriter: Sendable {
    private let value: ByteBuffer
    private let valueHeader: ByteBuffer

    init(valueSize: Int) {
        var generator = SplitMix64(seed: 0x5EED)
        var value = ByteBuffer()
        value.reserveCapacity(valueSize)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        for _ in 0..<valueSize { value.writeInteger(letters[Int(generator.next() % UInt64(letters.count))]) }
        self.value = value
        var header = ByteBuffer()
        header.writeStaticString("$")
        Self.writeDecimal(UInt64(valueSize), into: &header)
        header.writeStaticString("\r\n")
        self.valueHeader = header
    }

    /// `GET` of record `record`'s key; returns the bytes written.
    @discardableResult
    func writeGet(record: Int64, into buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeStaticString("*2\r\n$3\r\nGET\r\n")
        written += Self.writeKey(record, into: &buffer)
        return written
    }

    /// `SET` of record `record`'s key to the workload's value; returns the bytes written.
    @discardableResult
    func writeSet(record: Int64, into buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeStaticString("*3\r\n$3\r\nSET\r\n")
        written += Self.writeKey(record, into: &buffer)
        written += buffer.writeImmutableBuffer(valueHeader)
        written += buffer.writeImmutableBuffer(value)
        written += buffer.writeStaticString("\r\n")
        return written
    }

    /// Any command, as an array of bulk strings (`AUTH`, `PING`): for set-up, not the hot path.
    static func write(_ arguments: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    private static func writeKey(_ record: Int64, into buffer: inout ByteBuffer) -> Int {
        let hash = YCSBKey.fnv1a64(record)
        var written = buffer.writeStaticString("$")
        written += writeDecimal(UInt64(4 + digitCount(hash)), into: &buffer)
        written += buffer.writeStaticString("\r\nuser")
        written += writeDecimal(hash, into: &buffer)
        written += buffer.writeStaticString("\r\n")
        return written
    }

    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// Writes `value` in decimal without building a string.
    @discardableResult
    static func writeDecimal(_ value: UInt64, into buffer: inout ByteBuffer) -> Int {
        let count = digitCount(value)
        return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            var rest = value
            for position in stride(from: count - 1, through: 0, by: -1) {
                pointer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return count
        }
    }
}
