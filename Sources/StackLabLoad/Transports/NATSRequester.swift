import NIOCore
import NIOPosix
import StackLabCore

/// A NATS connection that asks and waits for answers, one at a time: JetStream's API (`$JS.API.…`) before a run.
///
/// Logs in, subscribes to its inbox and publishes each request with the inbox as its reply subject; an answer is
/// the next message on the inbox (its payload kept whole), or a no-responders status when nothing serves the
/// subject (no JetStream). Everything runs on its channel's event loop.
final class NATSRequester: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// An answer: its payload, or `noResponders` when nothing serves the subject.
    enum Answer: Sendable {
        case payload(String)
        case noResponders
    }

    private static let inbox = "_INBOX.stacklab.setup"
    private let connectLine: String
    private var parser = NATSFrameParser()
    private var context: ChannelHandlerContext?
    private var waiting: [EventLoopPromise<Answer>] = []

    init(connectLine: String, ready: EventLoopPromise<Answer>) {
        self.connectLine = connectLine
        parser.capturesPayloads = true
        waiting = [ready]
    }

    /// Connects and logs in; the requester is ready once the login's `PONG` came.
    static func connect(
        to address: SocketAddress, on loop: any EventLoop, connectLine: String, timeout: Int64
    ) async throws -> (requester: NIOLoopBound<NATSRequester>, channel: any Channel) {
        let ready = loop.makePromise(of: Answer.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.autoRead, value: false)
            .connectTimeout(.nanoseconds(timeout))
            .connect(to: address).get()
        let requester = try await loop.submit {
            let handler = NATSRequester(connectLine: connectLine, ready: ready)
            try channel.pipeline.syncOperations.addHandler(handler)
            return NIOLoopBound(handler, eventLoop: loop)
        }.get()
        loop.scheduleTask(in: .nanoseconds(timeout)) {
            ready.fail(NATSFrameParser.ProtocolError(description: "no answer to CONNECT and PING in time"))
        }
        _ = try await ready.futureResult.get()
        return (requester, channel)
    }

    /// Publishes `payload` to `subject` and waits for its answer, at most `timeout` nanoseconds.
    static func ask(
        _ requester: NIOLoopBound<NATSRequester>, on loop: any EventLoop, subject: String, payload: String,
        timeout: Int64
    ) async throws -> Answer {
        let answer = try await loop.submit {
            requester.value.send(subject: subject, payload: payload, on: loop)
        }.get()
        loop.scheduleTask(in: .nanoseconds(timeout)) {
            answer.fail(NATSFrameParser.ProtocolError(description: "no answer to \(subject) in time"))
        }
        return try await answer.futureResult.get()
    }

    private func send(subject: String, payload: String, on loop: any EventLoop) -> EventLoopPromise<Answer> {
        let promise = loop.makePromise(of: Answer.self)
        guard let context else {
            promise.fail(NATSFrameParser.ProtocolError(description: "the server closed the connection"))
            return promise
        }
        waiting.append(promise)
        let text = "PUB \(subject) \(Self.inbox) \(payload.utf8.count)\r\n\(payload)\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
        return promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let text = connectLine + "SUB \(Self.inbox) 1\r\nPING\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var offset = 0
        while offset < buffer.readableBytes {
            let step: (consumed: Int, frame: NATSFrameParser.Frame?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.next($0, from: offset) }
            } catch {
                failAll(error)
                context.close(promise: nil)
                return
            }
            offset += step.consumed
            switch step.frame {
            case .pong: answer(.payload(""))
            case .message(_, _, let headerBytes, let payloadBytes, _):
                answer(
                    headerBytes > 0 && payloadBytes == 0
                        ? .noResponders : .payload(String(decoding: parser.payload, as: UTF8.self)))
            case .error(let text): failAll(NATSFrameParser.ProtocolError(description: text))
            case .ping:
                context.writeAndFlush(
                    wrapOutboundOut(context.channel.allocator.buffer(string: "PONG\r\n")), promise: nil)
            case .ok, .info, .none: break
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(NATSFrameParser.ProtocolError(description: "the server closed the connection"))
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ answer: Answer) {
        guard !waiting.isEmpty else { return }
        waiting.removeFirst().succeed(answer)
    }

    private func failAll(_ error: any Error) {
        for promise in waiting { promise.fail(error) }
        waiting.removeAll()
    }
}

@available(*, unavailable)
extension NATSRequester: Sendable {}
