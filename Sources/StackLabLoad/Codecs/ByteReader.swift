/// Reads big-endian integers and length-prefixed strings from one complete frame's bytes, throwing a
/// `FramingError` instead of reading past the end: the shared ground of the MQTT and AMQP decoders.
struct ByteReader {
    private let storage: [UInt8]
    private(set) var position: Int
    private let wireProtocol: String

    init(_ bytes: [UInt8], protocol wireProtocol: String) {
        self.storage = bytes
        self.position = 0
        self.wireProtocol = wireProtocol
    }

    /// Bytes not read yet.
    var remaining: Int { storage.count - position }

    func failure(_ message: String) -> FramingError {
        FramingError(wireProtocol: wireProtocol, message: message)
    }

    mutating func bytes(_ count: Int) throws(FramingError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw failure("a field of \(count) bytes runs past the end of its frame (\(remaining) left)")
        }
        defer { position += count }
        return Array(storage[position..<position + count])
    }

    mutating func rest() -> [UInt8] {
        defer { position = storage.count }
        return Array(storage[position...])
    }

    mutating func uint8() throws(FramingError) -> UInt8 {
        guard remaining >= 1 else { throw failure("a field runs past the end of its frame") }
        defer { position += 1 }
        return storage[position]
    }

    mutating func uint16() throws(FramingError) -> UInt16 {
        try UInt16(uint8()) << 8 | UInt16(uint8())
    }

    mutating func uint32() throws(FramingError) -> UInt32 {
        try UInt32(uint16()) << 16 | UInt32(uint16())
    }

    mutating func uint64() throws(FramingError) -> UInt64 {
        try UInt64(uint32()) << 32 | UInt64(uint32())
    }

    /// UTF-8 text of `count` bytes.
    mutating func text(_ count: Int) throws(FramingError) -> String {
        let raw = try bytes(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw failure("a string is not UTF-8") }
        return text
    }
}

/// Appends big-endian integers to a frame being written.
extension Array where Element == UInt8 {
    mutating func append(uint16 value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func append(uint32 value: UInt32) {
        append(uint16: UInt16(truncatingIfNeeded: value >> 16))
        append(uint16: UInt16(truncatingIfNeeded: value))
    }

    mutating func append(uint64 value: UInt64) {
        append(uint32: UInt32(truncatingIfNeeded: value >> 32))
        append(uint32: UInt32(truncatingIfNeeded: value))
    }
}
