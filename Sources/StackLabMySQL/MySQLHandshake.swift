import NIOCore

/// Capability flags this client uses (`CLIENT_*` in the protocol documentation).
struct MySQLCapabilities: OptionSet {
    var rawValue: UInt32

    static let longPassword = Self(rawValue: 1)
    static let longFlag = Self(rawValue: 1 << 2)
    static let connectWithDB = Self(rawValue: 1 << 3)
    static let protocol41 = Self(rawValue: 1 << 9)
    static let transactions = Self(rawValue: 1 << 13)
    static let secureConnection = Self(rawValue: 1 << 15)
    static let pluginAuth = Self(rawValue: 1 << 19)
    static let pluginAuthLengthEncodedData = Self(rawValue: 1 << 21)

    /// What the client asks for; the server's own capabilities narrow it. No SSL, compression,
    /// multi-statements or multi-results: one statement, one answer.
    static let client: Self = [
        .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .pluginAuth,
        .pluginAuthLengthEncodedData,
    ]
}

/// The server's first packet (HandshakeV10): its version, the connection id and the auth scramble.
struct MySQLHandshake {
    var serverVersion: String
    var connectionID: UInt32
    var capabilities: MySQLCapabilities
    /// The 20 bytes of random data the password is scrambled with.
    var scramble: [UInt8]
    /// The server's default auth plugin: `mysql_native_password`, `caching_sha2_password`...
    var authPlugin: String

    init(_ packet: MySQLPacket) throws {
        var buffer = packet.payload
        if packet.isError { throw MySQLServerError(packet).error }
        guard buffer.readInteger(as: UInt8.self) == 10 else {
            throw MySQLError.protocolViolation(
                "the server's greeting is not protocol version 10; is this a MySQL port?")
        }
        guard let version = buffer.readStringUpToNull(),
            let connectionID = buffer.readInteger(endianness: .little, as: UInt32.self),
            let part1 = buffer.readBytes(length: 8)
        else { throw MySQLError.protocolViolation("the server's greeting is cut short") }
        serverVersion = version
        self.connectionID = connectionID
        buffer.moveReaderIndex(forwardBy: 1)
        let lower = buffer.readInteger(endianness: .little, as: UInt16.self) ?? 0
        _ = buffer.readInteger(as: UInt8.self)  // character set
        _ = buffer.readInteger(endianness: .little, as: UInt16.self)  // status
        let upper = buffer.readInteger(endianness: .little, as: UInt16.self) ?? 0
        capabilities = MySQLCapabilities(rawValue: UInt32(lower) | UInt32(upper) << 16)
        let dataLength = Int(buffer.readInteger(as: UInt8.self) ?? 0)
        buffer.moveReaderIndex(forwardBy: min(10, buffer.readableBytes))
        var scramble = part1
        if capabilities.contains(.secureConnection) {
            let length = max(13, dataLength - 8)
            // The second part ends with a NUL that is not part of the scramble.
            scramble += (buffer.readBytes(length: min(length, buffer.readableBytes)) ?? []).prefix(12)
        }
        self.scramble = scramble
        authPlugin =
            capabilities.contains(.pluginAuth)
            ? (buffer.readStringUpToNull() ?? "mysql_native_password") : "mysql_native_password"
    }
}

/// The client's answer to the greeting (HandshakeResponse41).
struct MySQLHandshakeResponse {
    /// utf8mb4_general_ci, which both MySQL and MariaDB know.
    static let characterSet: UInt8 = 45

    var capabilities: MySQLCapabilities
    var user: String
    var authResponse: [UInt8]
    var database: String?
    var authPlugin: String

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(capabilities.rawValue, endianness: .little)
        buffer.writeInteger(UInt32(MySQLPacket.maximumFrame), endianness: .little)
        buffer.writeInteger(Self.characterSet)
        buffer.writeRepeatingByte(0, count: 23)
        buffer.writeNullTerminatedString(user)
        if capabilities.contains(.pluginAuthLengthEncodedData) {
            buffer.writeLengthEncodedBytes(authResponse)
        } else {
            buffer.writeInteger(UInt8(authResponse.count))
            buffer.writeBytes(authResponse)
        }
        if let database, capabilities.contains(.connectWithDB) { buffer.writeNullTerminatedString(database) }
        if capabilities.contains(.pluginAuth) { buffer.writeNullTerminatedString(authPlugin) }
    }
}
