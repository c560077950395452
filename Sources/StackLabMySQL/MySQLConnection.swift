import NIOCore
import NIOPosix

/// A connection to a MySQL or MariaDB server over the native protocol, with text queries and prepared
/// statements.
///
/// One command at a time: each call waits for its whole answer (pipelining is not supported). Calls made
/// after the connection closed, or pending when it is lost, throw `MySQLError.connectionClosed`. There is no
/// TLS, no compression and no multi-statement query.
public final class MySQLConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<MySQLChannelHandler>
    /// The server's id for this connection, as `KILL` takes it and `CONNECTION_ID()` returns it.
    public let connectionID: UInt32
    /// The server's version string: `10.11.6-MariaDB-0+deb12u1`.
    public let serverVersion: String

    private init(
        channel: any Channel, handler: NIOLoopBound<MySQLChannelHandler>, connectionID: UInt32, serverVersion: String
    ) {
        self.channel = channel
        self.handler = handler
        self.connectionID = connectionID
        self.serverVersion = serverVersion
    }

    /// How long the server has to greet and accept the login.
    static let loginTimeLimit = TimeAmount.seconds(10)

    /// Connects and logs in as `user`, with `database` as the default schema when given.
    ///
    /// - Throws: `MySQLError.cannotConnect` when nothing answers on `host:port`, `.authentication` when the
    ///   server refuses the user or password, `.server` for other refusals (an unknown database: 1049);
    ///   `.cannotConnect` too when something listens but completes no login within 10 seconds.
    public static func connect(
        host: String, port: Int, user: String, password: String, database: String?, on eventLoop: any EventLoop
    ) async throws -> MySQLConnection {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.seconds(10))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MySQLPacketDecoder()))
                        try channel.pipeline.syncOperations.addHandler(MySQLChannelHandler())
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw MySQLError.cannotConnect("\(host):\(port): \(error)")
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: MySQLChannelHandler.self),
                eventLoop: channel.eventLoop)
        }.get()
        // A port that accepts but never greets (not a MySQL server), or a login that stalls, must not hang.
        let loginTimeout = channel.eventLoop.scheduleTask(in: loginTimeLimit) { channel.close(promise: nil) }
        do {
            let greeting = try await exchange(channel, handler, nil, newCommand: false, expecting: .single)
            let handshake = try MySQLHandshake(greeting[0])
            let connection = MySQLConnection(
                channel: channel, handler: handler, connectionID: handshake.connectionID,
                serverVersion: handshake.serverVersion)
            try await connection.logIn(handshake, user: user, password: password, database: database)
            loginTimeout.cancel()
            return connection
        } catch {
            loginTimeout.cancel()
            try? await channel.close()
            if (try? await loginTimeout.futureResult.get()) != nil {
                throw MySQLError.cannotConnect(
                    "\(host):\(port) accepted the connection but did not complete a MySQL login within "
                        + "\(loginTimeLimit.nanoseconds / 1_000_000_000) s; is it a MySQL server?")
            }
            throw error
        }
    }

    /// Runs `sql` as a text query (`COM_QUERY`): one statement, no trailing `;` needed.
    ///
    /// - Throws: `MySQLError.server` with the server's code and SQLSTATE (1146 `42S02` for an unknown table,
    ///   1213 `40001` for a deadlock).
    public func query(_ sql: String) async throws -> MySQLResult {
        let packets = try await command(
            MySQLCommand.text(MySQLCommand.query, sql, allocator: channel.allocator),
            expecting: .resultSet)
        return try Self.result(packets, binary: false)
    }

    /// Prepares `sql` with `?` placeholders (`COM_STMT_PREPARE`) for `execute`.
    public func prepare(_ sql: String) async throws -> MySQLStatement {
        let packets = try await command(
            MySQLCommand.text(MySQLCommand.prepare, sql, allocator: channel.allocator),
            expecting: .prepare)
        if packets[0].isError { throw MySQLServerError(packets[0]).error }
        var payload = packets[0].payload
        payload.moveReaderIndex(forwardBy: 1)
        guard let id = payload.readInteger(endianness: .little, as: UInt32.self),
            let columnCount = payload.readInteger(endianness: .little, as: UInt16.self),
            let parameterCount = payload.readInteger(endianness: .little, as: UInt16.self)
        else { throw MySQLError.protocolViolation("the answer to a prepare is cut short") }
        let first = parameterCount > 0 ? Int(parameterCount) + 2 : 1
        let columns = try packets.dropFirst(first).prefix(Int(columnCount)).map { try MySQLColumn($0).name }
        return MySQLStatement(id: id, parameterCount: Int(parameterCount), columns: columns, sql: sql)
    }

    /// Executes a prepared statement (`COM_STMT_EXECUTE`) with one value per placeholder.
    ///
    /// - Throws: `MySQLError.wrongParameterCount` when `parameters` does not match the placeholders;
    ///   `MySQLError.server` as `query` does.
    public func execute(_ statement: MySQLStatement, _ parameters: [MySQLValue]) async throws -> MySQLResult {
        guard parameters.count == statement.parameterCount else {
            throw MySQLError.wrongParameterCount(expected: statement.parameterCount, given: parameters.count)
        }
        let payload = MySQLCommand.execute(statement.id, parameters, allocator: channel.allocator)
        return try Self.result(try await command(payload, expecting: .resultSet), binary: true)
    }

    /// Frees a prepared statement on the server (`COM_STMT_CLOSE`, which has no answer).
    public func close(_ statement: MySQLStatement) async throws {
        let payload = MySQLCommand.statement(MySQLCommand.closeStatement, statement.id, allocator: channel.allocator)
        _ = try await Self.exchange(channel, handler, payload, newCommand: true, expecting: nil)
    }

    /// Says goodbye (`COM_QUIT`) and closes the connection; safe to call twice or on a lost connection.
    public func close() async {
        var payload = channel.allocator.buffer(capacity: 1)
        payload.writeInteger(MySQLCommand.quit)
        _ = try? await Self.exchange(channel, handler, payload, newCommand: true, expecting: nil)
        try? await channel.close()
    }

    private func command(
        _ payload: ByteBuffer, expecting shape: MySQLResponseFramer.Shape
    ) async throws
        -> [MySQLPacket]
    {
        try await Self.exchange(channel, handler, payload, newCommand: true, expecting: shape)
    }

    /// Sends `payload` and waits for the answer's packets (none when `shape` is nil).
    static func exchange(
        _ channel: any Channel, _ handler: NIOLoopBound<MySQLChannelHandler>, _ payload: ByteBuffer?,
        newCommand: Bool, expecting shape: MySQLResponseFramer.Shape?
    ) async throws -> [MySQLPacket] {
        let promise = channel.eventLoop.makePromise(of: [MySQLPacket].self)
        channel.eventLoop.execute {
            handler.value.send(payload, newCommand: newCommand, expecting: shape, promise: shape == nil ? nil : promise)
            if shape == nil { promise.succeed([]) }
        }
        return try await promise.futureResult.get()
    }

    /// The answer to a query or an execute: an OK, an ERR, or a result set.
    static func result(_ packets: [MySQLPacket], binary: Bool) throws -> MySQLResult {
        let first = packets[0]
        if first.isError { throw MySQLServerError(first).error }
        if first.isOK {
            let ok = try MySQLOK(first)
            return MySQLResult(affectedRows: ok.affectedRows, lastInsertID: ok.lastInsertID)
        }
        if first.header == 0xFB {
            throw MySQLError.protocolViolation(
                "the server asked for a local file (LOAD DATA LOCAL), which is not supported")
        }
        var countBuffer = first.payload
        let count = Int(countBuffer.readLengthEncodedInteger() ?? 0)
        guard packets.count >= count + 3 else { throw MySQLError.protocolViolation("a result set is cut short") }
        let columns = try packets[1...count].map(MySQLColumn.init)
        let last = packets[packets.count - 1]
        if last.isError { throw MySQLServerError(last).error }
        let rowPackets = packets[(count + 2)..<(packets.count - 1)]
        let rows = try rowPackets.map {
            try binary ? MySQLRowDecoder.binaryRow($0, columns: columns) : MySQLRowDecoder.textRow($0, columns: columns)
        }
        return MySQLResult(columns: columns.map(\.name), rows: rows)
    }
}
