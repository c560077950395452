import NIOCore

/// The commands this client sends, as payloads.
enum MySQLCommand {
    static let quit: UInt8 = 0x01
    static let query: UInt8 = 0x03
    static let prepare: UInt8 = 0x16
    static let execute: UInt8 = 0x17
    static let closeStatement: UInt8 = 0x19

    static func text(_ command: UInt8, _ sql: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: sql.utf8.count + 1)
        buffer.writeInteger(command)
        buffer.writeString(sql)
        return buffer
    }

    static func statement(_ command: UInt8, _ id: UInt32, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 5)
        buffer.writeInteger(command)
        buffer.writeInteger(id, endianness: .little)
        return buffer
    }

    /// COM_STMT_EXECUTE with no cursor, the NULL bitmap and each parameter's type sent every time.
    static func execute(_ id: UInt32, _ parameters: [MySQLValue], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 16 + parameters.count * 12)
        buffer.writeInteger(execute)
        buffer.writeInteger(id, endianness: .little)
        buffer.writeInteger(UInt8(0))  // CURSOR_TYPE_NO_CURSOR
        buffer.writeInteger(UInt32(1), endianness: .little)  // iteration count
        guard !parameters.isEmpty else { return buffer }
        var bitmap = [UInt8](repeating: 0, count: (parameters.count + 7) / 8)
        for (index, value) in parameters.enumerated() where value == .null {
            bitmap[index / 8] |= 1 << (index % 8)
        }
        buffer.writeBytes(bitmap)
        buffer.writeInteger(UInt8(1))  // new parameters bound: the types follow
        for value in parameters {
            let type: MySQLColumnType =
                switch value {
                case .null: .null
                case .int: .longlong
                case .double: .double
                case .text: .varString
                case .bytes: .blob
                }
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(UInt8(0))  // signed
        }
        for value in parameters {
            switch value {
            case .null: break
            case .int(let number): buffer.writeInteger(number, endianness: .little)
            case .double(let number): buffer.writeInteger(number.bitPattern, endianness: .little)
            case .text(let text): buffer.writeLengthEncodedBytes(text.utf8)
            case .bytes(let bytes): buffer.writeLengthEncodedBytes(bytes)
            }
        }
        return buffer
    }
}
