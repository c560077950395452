import NIOCore

/// The channel end of one load connection: writes requests, finds where responses end, and tells its
/// ``LoopWorker``. All decisions are the worker's; this handler only moves bytes.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let worker: LoopWorker
    let slot: Int
    let generation: Int
    private var context: ChannelHandlerContext?
    private var parser = HTTPResponseParser()
    /// Set once the worker has been told the connection ended, so it is told only once.
    private var finished = false

    init(worker: LoopWorker, slot: Int, generation: Int) {
        self.worker = worker
        self.slot = slot
        self.generation = generation
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes one request; the buffer is shared, not copied. A HEAD request's answer has no body.
    func send(_ request: ByteBuffer, expectsNoBody: Bool) {
        guard let context else { return }
        parser.expectsNoBody = expectsNoBody
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    /// Closes the connection without telling the worker again.
    func abandon() {
        finished = true
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let readable = buffer.readableBytes
        worker.received(bytes: readable)
        var offset = 0
        while offset < readable && !finished {
            let step: (consumed: Int, response: HTTPResponseParser.Response?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.parse($0, from: offset) }
            } catch {
                fail()
                return
            }
            offset += step.consumed
            guard let response = step.response else { break }
            worker.completed(slot: slot, generation: generation, response: response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        do {
            if let response = try parser.endOfInput() {
                worker.completed(slot: slot, generation: generation, response: response)
            }
            worker.closed(slot: slot, generation: generation, midResponse: false)
        } catch {
            worker.closed(slot: slot, generation: generation, midResponse: true)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func fail() {
        guard !finished else { return }
        finished = true
        context?.close(promise: nil)
        worker.closed(slot: slot, generation: generation, midResponse: true)
    }
}

@available(*, unavailable)
extension ConnectionHandler: Sendable {}
