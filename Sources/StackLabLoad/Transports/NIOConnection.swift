import NIOCore

/// The channel end of one load connection on SwiftNIO: writes what its ``NIOWorker`` put in ``out``, finds where
/// replies end with the codec's parser, and tells the worker. All decisions are the worker's; this moves bytes.
final class NIOConnection<Codec: WireCodec>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let worker: NIOWorker<Codec>
    let index: Int
    let generation: Int
    private var context: ChannelHandlerContext?
    var parser: Codec.Parser
    /// Requests written by the worker and not yet flushed.
    var out = ByteBuffer()
    /// In the worker's list of connections to flush.
    var dirty = false
    /// The greeting is written and its reply not yet read.
    var greeting = false
    /// Set once the worker has been told the connection ended, so it is told only once.
    private var finished = false

    init(worker: NIOWorker<Codec>, index: Int, generation: Int, codec: Codec) {
        self.worker = worker
        self.index = index
        self.generation = generation
        self.parser = codec.makeParser()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes what ``out`` holds; an encoded HTTP request is shared, not copied.
    func flush() {
        dirty = false
        guard let context, out.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out.moveReaderIndex(to: out.writerIndex)
    }

    /// Closes the connection without telling the worker again.
    func abandon() {
        finished = true
        dirty = false
        out.moveReaderIndex(to: out.writerIndex)
        context?.close(promise: nil)
    }

    // Called by SwiftNIO through the handler protocol, so not specialized by the compiler on its own: the codecs'
    // specializations keep the per-reply path free of generic dispatch.
    @_specialize(where Codec == HTTPCodec)
    @_specialize(where Codec == RESPCodec)
    @_specialize(where Codec == NATSCodec)
    @_specialize(where Codec == MQTTCodec)
    @_specialize(where Codec == AMQPCodec)
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let readable = buffer.readableBytes
        let now = NIOWorker<Codec>.now()
        worker.received(bytes: readable, now: now)
        var offset = 0
        while (offset < readable || parser.hasPendingReply) && !finished {
            let step: (consumed: Int, reply: ParsedReply?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.nextReply($0, from: offset) }
            } catch {
                fail()
                return
            }
            offset += step.consumed
            parser.writeAnswers(into: &out)
            if out.readableBytes > 0 && !dirty { flush() }
            guard let reply = step.reply else { break }
            worker.replied(index, generation: generation, reply: reply, now: now)
        }
    }

    @_specialize(where Codec == HTTPCodec)
    @_specialize(where Codec == RESPCodec)
    @_specialize(where Codec == NATSCodec)
    @_specialize(where Codec == MQTTCodec)
    @_specialize(where Codec == AMQPCodec)
    func channelReadComplete(context: ChannelHandlerContext) {
        // Requests that the replies of this read made possible go out in one write per connection.
        worker.settle()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        if let reply = try? parser.replyAtClose(), !greeting {
            worker.replied(index, generation: generation, reply: reply, now: NIOWorker<Codec>.now())
            worker.settle()
        }
        worker.closed(index, generation: generation)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func fail() {
        guard !finished else { return }
        finished = true
        context?.close(promise: nil)
        worker.closed(index, generation: generation)
    }
}

@available(*, unavailable)
extension NIOConnection: Sendable {}
