import NIOCore

/// An OK packet: what a statement without a result set changed.
struct MySQLOK {
    var affectedRows: UInt64
    var lastInsertID: UInt64

    init(_ packet: MySQLPacket) throws {
        var buffer = packet.payload
        buffer.moveReaderIndex(forwardBy: 1)
        guard let affected = buffer.readLengthEncodedInteger(), let lastID = buffer.readLengthEncodedInteger() else {
            throw MySQLError.protocolViolation("an OK packet is cut short")
        }
        affectedRows = affected
        lastInsertID = lastID
    }
}

/// An ERR packet, as `MySQLError.server`.
struct MySQLServerError {
    var error: MySQLError

    init(_ packet: MySQLPacket) {
        var buffer = packet.payload
        buffer.moveReaderIndex(forwardBy: 1)
        let code = buffer.readInteger(endianness: .little, as: UInt16.self) ?? 0
        var sqlState = "HY000"
        // Errors sent before the handshake completes carry no SQLSTATE marker.
        if buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == UInt8(ascii: "#") {
            buffer.moveReaderIndex(forwardBy: 1)
            sqlState = buffer.readString(length: min(5, buffer.readableBytes)) ?? sqlState
        }
        error = .server(code: code, sqlState: sqlState, message: buffer.readString(length: buffer.readableBytes) ?? "")
    }
}

/// The protocol's column types (`MYSQL_TYPE_*`) this client distinguishes.
enum MySQLColumnType: UInt8 {
    case decimal = 0
    case tiny = 1
    case short = 2
    case long = 3
    case float = 4
    case double = 5
    case null = 6
    case timestamp = 7
    case longlong = 8
    case int24 = 9
    case date = 10
    case time = 11
    case datetime = 12
    case year = 13
    case newdate = 14
    case varchar = 15
    case bit = 16
    case timestamp2 = 17
    case datetime2 = 18
    case time2 = 19
    case json = 245
    case newdecimal = 246
    case `enum` = 247
    case set = 248
    case tinyBlob = 249
    case mediumBlob = 250
    case longBlob = 251
    case blob = 252
    case varString = 253
    case string = 254
    case geometry = 255
}

/// One column of a result set (ColumnDefinition41): what the rows' values mean.
struct MySQLColumn {
    static let binaryCharacterSet: UInt16 = 63
    static let unsignedFlag: UInt16 = 0x20

    var name: String
    /// The raw type code; unknown codes decode as text.
    var type: UInt8
    var flags: UInt16
    var characterSet: UInt16
    var decimals: UInt8

    init(_ packet: MySQLPacket) throws {
        var buffer = packet.payload
        for _ in 0..<4 { _ = buffer.readLengthEncodedSlice() }  // catalog, schema, table, original table
        guard let name = buffer.readLengthEncodedString(), buffer.readLengthEncodedSlice() != nil,
            buffer.readLengthEncodedInteger() != nil,
            let characterSet = buffer.readInteger(endianness: .little, as: UInt16.self),
            buffer.readInteger(endianness: .little, as: UInt32.self) != nil,
            let type = buffer.readInteger(as: UInt8.self),
            let flags = buffer.readInteger(endianness: .little, as: UInt16.self),
            let decimals = buffer.readInteger(as: UInt8.self)
        else { throw MySQLError.protocolViolation("a column definition is cut short") }
        self.name = name
        self.type = type
        self.flags = flags
        self.characterSet = characterSet
        self.decimals = decimals
    }

    var isUnsigned: Bool { flags & Self.unsignedFlag != 0 }
    var isBinary: Bool { characterSet == Self.binaryCharacterSet }
}
