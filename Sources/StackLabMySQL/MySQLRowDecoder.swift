import NIOCore

/// Turns row packets into values, for the text protocol (`COM_QUERY`) and the binary one (`COM_STMT_EXECUTE`).
enum MySQLRowDecoder {
    /// A text-protocol row: each value a length-encoded string, 0xFB for NULL.
    static func textRow(_ packet: MySQLPacket, columns: [MySQLColumn]) throws -> [MySQLValue] {
        var buffer = packet.payload
        var row: [MySQLValue] = []
        row.reserveCapacity(columns.count)
        for column in columns {
            if buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0xFB {
                buffer.moveReaderIndex(forwardBy: 1)
                row.append(.null)
                continue
            }
            guard let field = buffer.readLengthEncodedSlice() else {
                throw MySQLError.protocolViolation("a row has fewer values than its \(columns.count) columns")
            }
            row.append(textValue(field, column: column))
        }
        return row
    }

    static func textValue(_ field: ByteBuffer, column: MySQLColumn) -> MySQLValue {
        switch MySQLColumnType(rawValue: column.type) {
        case .tiny, .short, .long, .longlong, .int24, .year:
            let text = String(buffer: field)
            return Int64(text).map(MySQLValue.int) ?? .text(text)
        case .float, .double:
            let text = String(buffer: field)
            return Double(text).map(MySQLValue.double) ?? .text(text)
        case .bit, .geometry: return .bytes(Array(field.readableBytesView))
        case .tinyBlob, .mediumBlob, .longBlob, .blob, .varString, .string, .varchar:
            return column.isBinary ? .bytes(Array(field.readableBytesView)) : .text(String(buffer: field))
        default: return .text(String(buffer: field))
        }
    }

    /// A binary-protocol row: 0x00, a NULL bitmap offset by two bits, then the non-NULL values.
    static func binaryRow(_ packet: MySQLPacket, columns: [MySQLColumn]) throws -> [MySQLValue] {
        var buffer = packet.payload
        buffer.moveReaderIndex(forwardBy: 1)
        guard let bitmap = buffer.readBytes(length: (columns.count + 9) / 8) else {
            throw MySQLError.protocolViolation("a binary row is cut short")
        }
        var row: [MySQLValue] = []
        row.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            let bit = index + 2
            if bitmap[bit / 8] & (1 << (bit % 8)) != 0 {
                row.append(.null)
                continue
            }
            guard let value = binaryValue(&buffer, column: column) else {
                throw MySQLError.protocolViolation("binary row value for column '\(column.name)' is cut short")
            }
            row.append(value)
        }
        return row
    }

    static func binaryValue(_ buffer: inout ByteBuffer, column: MySQLColumn) -> MySQLValue? {
        let unsigned = column.isUnsigned
        switch MySQLColumnType(rawValue: column.type) {
        case .tiny:
            return buffer.readInteger(as: UInt8.self).map { .int(unsigned ? Int64($0) : Int64(Int8(bitPattern: $0))) }
        case .short, .year:
            return buffer.readInteger(endianness: .little, as: UInt16.self).map {
                .int(unsigned ? Int64($0) : Int64(Int16(bitPattern: $0)))
            }
        case .long, .int24:
            return buffer.readInteger(endianness: .little, as: UInt32.self).map {
                .int(unsigned ? Int64($0) : Int64(Int32(bitPattern: $0)))
            }
        case .longlong:
            return buffer.readInteger(endianness: .little, as: UInt64.self).map {
                guard unsigned else { return .int(Int64(bitPattern: $0)) }
                return $0 <= UInt64(Int64.max) ? .int(Int64($0)) : .text(String($0))
            }
        case .float:
            return buffer.readInteger(endianness: .little, as: UInt32.self).map {
                .double(Double(Float(bitPattern: $0)))
            }
        case .double:
            return buffer.readInteger(endianness: .little, as: UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .date, .datetime, .timestamp, .newdate, .timestamp2, .datetime2:
            return dateTime(&buffer, column: column)
        case .time, .time2:
            return time(&buffer, column: column)
        default:
            return buffer.readLengthEncodedSlice().map { textValue($0, column: column) }
        }
    }

    /// `2024-05-01 12:00:00[.ffffff]` (or `2024-05-01` for a DATE) from its 0, 4, 7 or 11 bytes.
    private static func dateTime(_ buffer: inout ByteBuffer, column: MySQLColumn) -> MySQLValue? {
        guard let length = buffer.readInteger(as: UInt8.self), let bytes = buffer.readBytes(length: Int(length))
        else { return nil }
        let isDate = column.type == MySQLColumnType.date.rawValue || column.type == MySQLColumnType.newdate.rawValue
        let year = bytes.count >= 4 ? Int(bytes[0]) | Int(bytes[1]) << 8 : 0
        var text = "\(padded(year, 4))-\(padded(bytes.count >= 4 ? Int(bytes[2]) : 0, 2))-"
        text += padded(bytes.count >= 4 ? Int(bytes[3]) : 0, 2)
        if isDate { return .text(text) }
        let clock = bytes.count >= 7 ? Array(bytes[4..<7]) : [0, 0, 0]
        text += " \(padded(Int(clock[0]), 2)):\(padded(Int(clock[1]), 2)):\(padded(Int(clock[2]), 2))"
        let micro = bytes.count >= 11 ? littleEndian(bytes[7..<11]) : 0
        return .text(text + fraction(micro, decimals: column.decimals))
    }

    /// `[-]HHH:MM:SS[.ffffff]` from its 0, 8 or 12 bytes, days folded into hours as the server prints it.
    private static func time(_ buffer: inout ByteBuffer, column: MySQLColumn) -> MySQLValue? {
        guard let length = buffer.readInteger(as: UInt8.self), let bytes = buffer.readBytes(length: Int(length))
        else { return nil }
        guard bytes.count >= 8 else { return .text("00:00:00" + fraction(0, decimals: column.decimals)) }
        let hours = littleEndian(bytes[1..<5]) * 24 + Int(bytes[5])
        var text = (bytes[0] == 1 ? "-" : "") + padded(hours, 2)
        text += ":\(padded(Int(bytes[6]), 2)):\(padded(Int(bytes[7]), 2))"
        let micro = bytes.count >= 12 ? littleEndian(bytes[8..<12]) : 0
        return .text(text + fraction(micro, decimals: column.decimals))
    }

    private static func fraction(_ micro: Int, decimals: UInt8) -> String {
        guard (1...6).contains(decimals) else { return "" }
        return "." + padded(micro, 6).prefix(Int(decimals))
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
