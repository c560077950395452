import NIOCore

/// The protocol's basic types: length-encoded integers and strings, NUL-terminated strings.
extension ByteBuffer {
    /// Reads a length-encoded integer; nil at the end of the buffer or for 0xFB (NULL) and 0xFF.
    mutating func readLengthEncodedInteger() -> UInt64? {
        guard let first = readInteger(as: UInt8.self) else { return nil }
        switch first {
        case 0..<0xFB: return UInt64(first)
        case 0xFC: return readInteger(endianness: .little, as: UInt16.self).map(UInt64.init)
        case 0xFD:
            guard let bytes = readBytes(length: 3) else { return nil }
            return UInt64(bytes[0]) | UInt64(bytes[1]) << 8 | UInt64(bytes[2]) << 16
        case 0xFE: return readInteger(endianness: .little, as: UInt64.self)
        default: return nil
        }
    }

    /// Reads a length-encoded string as a slice; nil at the end of the buffer.
    mutating func readLengthEncodedSlice() -> ByteBuffer? {
        guard let length = readLengthEncodedInteger(), length <= UInt64(readableBytes) else { return nil }
        return readSlice(length: Int(length))
    }

    mutating func readLengthEncodedString() -> String? {
        readLengthEncodedSlice().map { String(buffer: $0) }
    }

    /// Reads up to the next NUL and skips it; the rest of the buffer when there is none.
    mutating func readStringUpToNull() -> String? {
        guard readableBytes > 0 else { return nil }
        let view = readableBytesView
        let length = view.firstIndex(of: 0).map { $0 - view.startIndex } ?? view.count
        let text = readString(length: length)
        if readableBytes > 0 { moveReaderIndex(forwardBy: 1) }
        return text
    }

    mutating func writeLengthEncodedInteger(_ value: UInt64) {
        switch value {
        case 0..<0xFB: writeInteger(UInt8(value))
        case 0xFB...0xFFFF:
            writeInteger(UInt8(0xFC))
            writeInteger(UInt16(value), endianness: .little)
        case 0x1_0000...0xFF_FFFF:
            writeInteger(UInt8(0xFD))
            writeInteger(UInt8(value & 0xFF))
            writeInteger(UInt16(value >> 8), endianness: .little)
        default:
            writeInteger(UInt8(0xFE))
            writeInteger(value, endianness: .little)
        }
    }

    mutating func writeLengthEncodedBytes(_ bytes: some Collection<UInt8>) {
        writeLengthEncodedInteger(UInt64(bytes.count))
        writeBytes(bytes)
    }
}
