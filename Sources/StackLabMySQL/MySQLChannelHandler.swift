import NIOCore

/// Collects each command's answer on the event loop and completes its promise with all its packets.
///
/// One command at a time: the connection sends the next only when the previous answer is complete. Packets
/// that arrive while nothing waits (the server's greeting) are kept for the next request. When the channel
/// closes or fails, the waiting promise and every later request fail with `MySQLError.connectionClosed`.
final class MySQLChannelHandler: ChannelInboundHandler {
    typealias InboundIn = MySQLPacket

    private struct Request {
        var framer: MySQLResponseFramer
        var packets: [MySQLPacket]
        var promise: EventLoopPromise<[MySQLPacket]>
    }

    private var context: ChannelHandlerContext?
    private var request: Request?
    private var unread: [MySQLPacket] = []
    private var nextSequenceID: UInt8 = 0
    private var closedReason: MySQLError?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        close(.connectionClosed("the connection's handler was removed"))
    }

    /// Sends `payload` (when given) and completes `promise` with the answer's packets (when given).
    ///
    /// - Parameter newCommand: restart the sequence ids at 0, as each command does; false within the handshake.
    func send(
        _ payload: ByteBuffer?, newCommand: Bool, expecting shape: MySQLResponseFramer.Shape?,
        promise: EventLoopPromise<[MySQLPacket]>?
    ) {
        if let closedReason {
            promise?.fail(closedReason)
            return
        }
        guard let context else {
            promise?.fail(MySQLError.connectionClosed("the connection is not open"))
            return
        }
        guard request == nil else {
            promise?.fail(
                MySQLError.protocolViolation("a command was sent while another was in flight; use one per connection"))
            return
        }
        if newCommand { nextSequenceID = 0 }
        if let payload {
            var frames = context.channel.allocator.buffer(capacity: payload.readableBytes + 8)
            nextSequenceID = MySQLPacket.write(payload, sequenceID: nextSequenceID, into: &frames)
            context.writeAndFlush(NIOAny(frames), promise: nil)
        }
        guard let shape, let promise else { return }
        request = Request(framer: MySQLResponseFramer(shape), packets: [], promise: promise)
        while request != nil, !unread.isEmpty { deliver(unread.removeFirst()) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        nextSequenceID = packet.sequenceID &+ 1
        if request == nil {
            unread.append(packet)
        } else {
            deliver(packet)
        }
    }

    private func deliver(_ packet: MySQLPacket) {
        guard var current = request else { return }
        current.packets.append(packet)
        if current.framer.isComplete(after: packet) {
            request = nil
            current.promise.succeed(current.packets)
        } else {
            request = current
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        close(.connectionClosed("the server closed the connection (it was killed, restarted or timed out)"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(.connectionClosed("the connection failed: \(error)"))
        context.close(promise: nil)
    }

    private func close(_ reason: MySQLError) {
        if closedReason == nil { closedReason = reason }
        if let current = request {
            request = nil
            current.promise.fail(closedReason ?? reason)
        }
    }
}

@available(*, unavailable)
extension MySQLChannelHandler: Sendable {}
