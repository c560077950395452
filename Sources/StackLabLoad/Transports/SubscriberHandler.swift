import NIOCore
import NIOPosix
import StackLabCore

/// What every messaging consumer's channel handler shares, whatever the broker (``NATSSubscriber``,
/// ``MQTTSubscriber`` subclass it): its tally, paced reads, the login promise settled once, a disconnect counted
/// unless the run closed it, and the run's window and stop.
class SubscriberHandler: MessageConsumer {
    var tally: SubscriptionTally
    var pacing: ReadPacing?
    var context: ChannelHandlerContext?
    /// Subscribed (or, for the login check, logged in).
    var isReady = false
    private let ready: EventLoopPromise<Void>
    /// The login's answer is in (an acceptance, a refusal or a close): ``ready`` is completed.
    private var settled = false
    /// The run closed it: its end is no disconnect.
    private var stopping = false

    /// The login or subscription failed: the broker's words.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(rate: Double?, producers: Int, ready: EventLoopPromise<Void>) {
        self.pacing = rate.map { ReadPacing(rate: $0) }
        self.ready = ready
        self.tally = SubscriptionTally(producers: producers)
    }

    /// Added to a connected channel: writes `login`, starts the paced reads and asks for the first, and fails the
    /// login with `silence` when the broker has not answered within `timeout` nanoseconds.
    func begin(_ context: ChannelHandlerContext, login: ByteBuffer, timeout: Int64, silence: any Error) {
        self.context = context
        context.writeAndFlush(NIOAny(login), promise: nil)
        pacing?.start(at: Self.now())
        context.read()
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(timeout)) {
            self.settle(silence)
        }
    }

    /// The next read, at once; with a consumer rate, once the messages handled so far are due.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard let delay = pacing?.delay(received: tally.received, now: Self.now()) else {
            context.read()
            return
        }
        guard delay > 0 else { return }
        let channel = context.channel
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(delay)) {
            self.pacing?.resume()
            channel.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !stopping && isReady { tally.disconnects += 1 }
        settle(Failure(description: "the server closed the connection"))
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Sets the measured window (uptime nanoseconds): end-to-end latency and rates count messages intended in it.
    func setWindow(start: Int64, end: Int64) {
        tally.windowStart = start
        tally.windowEnd = end
    }

    /// Closes the connection as the run ends.
    func stop() {
        stopping = true
        context?.close(promise: nil)
    }

    /// Completes ``ready`` once: with nil when logged in (and subscribed), else with why not.
    func settle(_ error: (any Error)?) {
        guard !settled else { return }
        settled = true
        if let error { ready.fail(error) } else { ready.succeed() }
    }

    /// Counts an error from the broker; the first is kept for the report.
    func note(error text: String) {
        tally.brokerErrors += 1
        if tally.lastError == nil { tally.lastError = text }
    }

    /// Connects a consumer's channel (nothing is read until `make`'s handler is in place: it asks for every read
    /// itself), adds the handler `make` gives for the login promise, and waits until it is logged in and
    /// subscribed.
    ///
    /// - Throws: `UserError` with why it could not connect, or the broker's refusal after `<wire> login to`.
    static func open<Handler: SubscriberHandler & ChannelHandler>(
        to address: SocketAddress, on loop: any EventLoop, timeout: Int64, endpoint: String, wire: String,
        make: @escaping @Sendable (EventLoopPromise<Void>) -> Handler
    ) async throws -> (subscriber: NIOLoopBound<any MessageConsumer>, channel: any Channel) {
        let ready = loop.makePromise(of: Void.self)
        let channel: any Channel
        let subscriber: NIOLoopBound<any MessageConsumer>
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelOption(ChannelOptions.autoRead, value: false)
                .connectTimeout(.nanoseconds(timeout))
                .connect(to: address).get()
            subscriber = try await loop.submit {
                let handler = make(ready)
                try channel.pipeline.syncOperations.addHandler(handler)
                return NIOLoopBound(handler as any MessageConsumer, eventLoop: loop)
            }.get()
        } catch {
            ready.fail(error)  // no handler will: a promise left open is a crash in a debug build
            throw UserError("cannot connect to \(endpoint): \(LoadEngine.describe(error))")
        }
        do {
            try await ready.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw UserError("\(wire) login to \(endpoint) failed: \(error)")
        }
        return (subscriber, channel)
    }

    static func now() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }
}
