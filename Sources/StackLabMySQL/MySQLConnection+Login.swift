import NIOCore

extension MySQLConnection {
    /// Server errors that mean the login itself was refused.
    private static let refusals: Set<UInt16> = [1044, 1045, 1251, 1698]

    /// Answers the greeting and follows the server's auth plugin switches until it says OK.
    func logIn(_ handshake: MySQLHandshake, user: String, password: String, database: String?) async throws {
        guard handshake.capabilities.contains(.protocol41) else {
            throw MySQLError.protocolViolation("the server (\(handshake.serverVersion)) does not speak protocol 4.1")
        }
        var capabilities = MySQLCapabilities.client
        if database != nil { capabilities.insert(.connectWithDB) }
        capabilities.formIntersection(handshake.capabilities.union(.longPassword))
        var plugin = handshake.authPlugin
        var scramble = handshake.scramble
        if MySQLAuthentication.response(plugin: plugin, password: password, scramble: scramble) == nil {
            plugin = MySQLAuthentication.nativePassword
        }
        let response = MySQLHandshakeResponse(
            capabilities: capabilities, user: user,
            authResponse: MySQLAuthentication.response(plugin: plugin, password: password, scramble: scramble) ?? [],
            database: database, authPlugin: plugin)
        var payload = channel.allocator.buffer(capacity: 128)
        response.encode(into: &payload)
        var reply = try await step(payload)
        while true {
            if reply.isOK { return }
            if reply.isError {
                let error = MySQLServerError(reply).error
                if case .server(let code, let sqlState, let message) = error, Self.refusals.contains(code) {
                    throw MySQLError.authentication(
                        "the server refused user '\(user)': \(message) (error \(code), SQLSTATE \(sqlState)); "
                            + "check the user name and password")
                }
                throw error
            }
            var body = reply.payload
            body.moveReaderIndex(forwardBy: 1)
            switch reply.header {
            case 0xFE:
                // AuthSwitchRequest: another plugin, with a fresh scramble.
                plugin = body.readStringUpToNull() ?? ""
                scramble = Array((body.readBytes(length: body.readableBytes) ?? []).prefix(20))
                guard let answer = MySQLAuthentication.response(plugin: plugin, password: password, scramble: scramble)
                else {
                    throw MySQLError.authentication(
                        "the server asks for auth plugin '\(plugin)', which this client does not speak; give user "
                            + "'\(user)' mysql_native_password or caching_sha2_password")
                }
                reply = try await step(buffer(answer))
            case 0x01 where plugin == MySQLAuthentication.cachingSHA2Password:
                switch body.readInteger(as: UInt8.self) {
                case 3:  // fast authentication succeeded: the OK follows
                    reply = try await step(nil)
                case 4:  // full authentication: ask for the server's RSA key and send the password under it
                    let keyReply = try await step(buffer([2]))
                    guard keyReply.header == 0x01 else {
                        throw MySQLError.authentication(
                            "the server would not send its RSA public key for caching_sha2_password without TLS; "
                                + "use mysql_native_password for user '\(user)'")
                    }
                    var key = keyReply.payload
                    key.moveReaderIndex(forwardBy: 1)
                    let encrypted = try MySQLAuthentication.encryptedPassword(
                        password, scramble: scramble, publicKeyPEM: String(buffer: key))
                    reply = try await step(buffer(encrypted))
                default:
                    throw MySQLError.protocolViolation("unexpected caching_sha2_password message from the server")
                }
            default:
                throw MySQLError.protocolViolation(
                    "unexpected packet 0x\(String(reply.header ?? 0, radix: 16)) during authentication")
            }
        }
    }

    private func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    /// Sends one handshake packet (or none) and reads the next.
    private func step(_ payload: ByteBuffer?) async throws -> MySQLPacket {
        try await Self.exchange(channel, handler, payload, newCommand: false, expecting: .single)[0]
    }
}
