import NIOCore

/// The channel end of one Redis load connection: writes what the worker put in ``outbound``, finds where
/// replies end, and tells its ``RedisLoopWorker``. All decisions are the worker's; this handler moves bytes.
final class RedisConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let worker: RedisLoopWorker
    let connection: Int
    let generation: Int
    private var context: ChannelHandlerContext?
    private var parser = RESPReplyParser()
    /// Set once the worker has been told the connection ended, so it is told only once.
    private var finished = false
    /// The next reply answers `AUTH`.
    private var authenticating = false
    /// Commands written by the worker and not yet flushed; reused from one flush to the next.
    var outbound: ByteBuffer

    init(worker: RedisLoopWorker, connection: Int, generation: Int, allocator: ByteBufferAllocator) {
        self.worker = worker
        self.connection = connection
        self.generation = generation
        self.outbound = allocator.buffer(capacity: 4096)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends `AUTH password`; its reply goes to the worker's `authenticated`.
    func authenticate(password: String) {
        authenticating = true
        RESPCommandWriter.write(["AUTH", password], into: &outbound)
        flush()
    }

    /// Writes what ``outbound`` holds. Once the socket has taken the bytes the buffer's storage is unique
    /// again, so clearing it reuses the memory rather than allocating.
    func flush() {
        guard let context, outbound.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(outbound), promise: nil)
        outbound.clear()
    }

    /// Closes the connection without telling the worker again.
    func abandon() {
        finished = true
        outbound.clear()
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let readable = buffer.readableBytes
        worker.received(bytes: readable)
        var offset = 0
        while offset < readable && !finished {
            let step: (consumed: Int, reply: RESPReplyParser.Reply?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.parse($0, from: offset) }
            } catch {
                fail()
                return
            }
            offset += step.consumed
            guard let reply = step.reply else { break }
            if authenticating {
                authenticating = false
                worker.authenticated(connection: connection, generation: generation, reply: reply)
            } else {
                worker.replied(connection: connection, generation: generation, reply: reply)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Requests that the replies of this read made possible go out in one write per connection.
        worker.flushPending()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        worker.closed(connection: connection, generation: generation)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func fail() {
        guard !finished else { return }
        finished = true
        context?.close(promise: nil)
        worker.closed(connection: connection, generation: generation)
    }
}

@available(*, unavailable)
extension RedisConnectionHandler: Sendable {}
