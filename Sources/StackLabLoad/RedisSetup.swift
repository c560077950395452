import Foundation
import NIOCore
import NIOPosix
import StackLabCore

/// What happens on a Redis target before the measured run: a check that it answers and accepts the
/// password, and the loading of the records the workload reads.
enum RedisSetup {
    /// Records written per round trip while loading.
    static let loadBatch = 256
    /// Connections that load in parallel: enough to keep a single-threaded server busy.
    static let loadConnections = 4

    /// `AUTH` (with a password) and `PING` on one connection.
    ///
    /// - Throws: `UserError` when the server cannot be reached, refuses the password, wants one, or
    ///   answers something that is not RESP.
    static func probe(
        target: TargetURL, address: SocketAddress, group: any EventLoopGroup, timeout: Int64
    )
        async throws
    {
        let server = "redis at \(target.host):\(target.port)"
        let password = target.password
        let replies: [RESPReplyParser.Reply]
        do {
            replies = try await exchange(address: address, group: group, timeout: timeout, keepAll: true) {
                var sent = false
                return { buffer in
                    guard !sent else { return 0 }
                    sent = true
                    if let password { RESPCommandWriter.write(["AUTH", password], into: &buffer) }
                    RESPCommandWriter.write(["PING"], into: &buffer)
                    return password == nil ? 1 : 2
                }
            }.replies
        } catch let error as RESPReplyParser.MalformedReply {
            throw UserError("\(server) did not answer in RESP (\(error.reason)); is it a Redis server?")
        } catch {
            throw UserError("cannot connect to \(server): \(LoadEngine.describe(error))")
        }
        guard let error = replies.first(where: { $0.kind == .error }) else { return }
        if error.message.hasPrefix("NOAUTH") {
            throw UserError(
                "\(server) requires a password (\(error.message)); give it in the URL as redis://:PASSWORD@HOST:PORT")
        }
        if error.message.hasPrefix("WRONGPASS") || error.message.contains("invalid password") {
            throw UserError("\(server) refused the password (\(error.message)); check the password in the URL")
        }
        if password != nil && error.message.contains("AUTH") {
            throw UserError(
                "\(server) has no password set but one was given (\(error.message)); leave it out of the URL")
        }
        throw UserError("\(server) answered PING with an error: \(error.message)")
    }

    /// Writes `records` keys with the workload's value, pipelined over a few connections, and times it.
    ///
    /// - Throws: `UserError` when the server refuses a write (out of memory under `maxmemory`, say).
    static func load(
        target: TargetURL, address: SocketAddress, group: any EventLoopGroup, keyValue: Workload.KeyValue,
        timeout: Int64
    ) async throws -> LoadResult.DataLoad {
        let started = ContinuousClock.now
        let records = Int64(keyValue.records)
        let writer = RESPCommandWriter(valueSize: keyValue.valueSize)
        let password = target.password
        let parts = Int64(min(loadConnections, keyValue.records))
        let bytes = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for part in 0..<parts {
                let range = (records * part / parts)..<(records * (part + 1) / parts)
                tasks.addTask {
                    let outcome = try await exchange(
                        address: address, group: group, timeout: timeout, keepAll: false
                    ) {
                        var next = range.lowerBound
                        var authenticated = password == nil
                        return { buffer in
                            if !authenticated, let password {
                                authenticated = true
                                RESPCommandWriter.write(["AUTH", password], into: &buffer)
                                return 1
                            }
                            let end = min(next + Int64(loadBatch), range.upperBound)
                            defer { next = end }
                            for record in next..<end { writer.writeSet(record: record, into: &buffer) }
                            return Int(end - next)
                        }
                    }
                    if let error = outcome.replies.first {
                        throw UserError(
                            "redis at \(target.host):\(target.port) refused the records being loaded: "
                                + "\(error.message); give the component more memory or load fewer records")
                    }
                    return outcome.bytesSent
                }
            }
            return try await tasks.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return LoadResult.DataLoad(records: keyValue.records, bytes: bytes, seconds: seconds)
    }

    /// What one connection's batches got back.
    struct Exchange: Sendable {
        /// Every reply (`keepAll`), or the first error reply.
        var replies: [RESPReplyParser.Reply]
        var bytesSent: Int
    }

    /// Runs batches of commands on one new connection until `next` writes none, and returns the replies
    /// (`keepAll`) or the error replies (stopping at the first).
    static func exchange(
        address: SocketAddress, group: any EventLoopGroup, timeout: Int64, keepAll: Bool,
        batches: @escaping @Sendable () -> (inout ByteBuffer) -> Int
    ) async throws -> Exchange {
        let loop = group.next()
        let done = loop.makePromise(of: Exchange.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.nanoseconds(min(timeout, WorkerCore.connectCap)))
                .channelInitializer { channel in
                    do {
                        try channel.pipeline.syncOperations.addHandler(
                            RESPBatchHandler(next: batches(), keepAll: keepAll, done: done))
                        return channel.eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                .connect(to: address).get()
        } catch {
            done.fail(error)
            throw error
        }
        let timer = loop.scheduleTask(in: .nanoseconds(timeout)) {
            done.fail(ChannelError.connectTimeout(.nanoseconds(timeout)))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await done.futureResult.get()
    }
}

/// Sends a batch of commands, waits for all their replies, and sends the next, until there is none.
final class RESPBatchHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let next: (inout ByteBuffer) -> Int
    private let keepAll: Bool
    private let done: EventLoopPromise<RedisSetup.Exchange>
    private var parser = RESPReplyParser()
    private var replies: [RESPReplyParser.Reply] = []
    private var bytesSent = 0
    private var expected = 0
    private var buffer = ByteBuffer()
    private var finished = false

    init(next: @escaping (inout ByteBuffer) -> Int, keepAll: Bool, done: EventLoopPromise<RedisSetup.Exchange>) {
        self.next = next
        self.keepAll = keepAll
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
        context.fireChannelActive()
    }

    private func sendNext(context: ChannelHandlerContext) {
        buffer.clear()
        expected = next(&buffer)
        guard expected > 0 else {
            finish(.success(.init(replies: replies, bytesSent: bytesSent)))
            return
        }
        bytesSent += buffer.readableBytes
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        var offset = 0
        while offset < bytes.readableBytes && !finished {
            let step: (consumed: Int, reply: RESPReplyParser.Reply?)
            do {
                step = try bytes.withUnsafeReadableBytes { try parser.parse($0, from: offset) }
            } catch {
                finish(.failure(error))
                context.close(promise: nil)
                return
            }
            offset += step.consumed
            guard let reply = step.reply else { break }
            if keepAll || reply.kind == .error { replies.append(reply) }
            if !keepAll && reply.kind == .error {
                finish(.success(.init(replies: replies, bytesSent: bytesSent)))
                return
            }
            expected -= 1
            if expected == 0 { sendNext(context: context) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.eof))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<RedisSetup.Exchange, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(result)
    }
}

@available(*, unavailable)
extension RESPBatchHandler: Sendable {}
