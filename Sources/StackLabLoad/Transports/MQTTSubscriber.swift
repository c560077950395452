import NIOCore
import NIOPosix
import StackLabCore

/// One consumer of a messaging run on MQTT: a connection that sends `CONNECT` (clean session), `SUBSCRIBE`s to its
/// topic at the workload's QoS (as a shared subscription `$share/<group>/<topic>` when its subscription has
/// several consumers) and counts every `PUBLISH` delivered in a ``SubscriptionTally``. It acknowledges each
/// delivery as its QoS asks (`PUBACK`; `PUBREC`, then `PUBCOMP` for the broker's `PUBREL`). With a consumer rate
/// it reads no faster than that, so the backlog stays in the kernel and the broker, never in this process.
///
/// Everything runs on its channel's event loop. Also the login check before a run: with no topic it only connects.
final class MQTTSubscriber: SubscriberHandler, ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let topicFilter: String?
    private let qos: MQTTPacket.QoS
    private let connect: MQTTPacket.Connect
    private var parser = MQTTPacketParser()
    private let timeout: Int64

    init(
        topicFilter: String?, qos: MQTTPacket.QoS, connect: MQTTPacket.Connect, rate: Double?, producers: Int,
        ready: EventLoopPromise<Void>, timeout: Int64
    ) {
        self.topicFilter = topicFilter
        self.qos = qos
        self.connect = connect
        self.timeout = timeout
        super.init(rate: rate, producers: producers, ready: ready)
    }

    /// Connects and subscribes; returns once the broker has granted the subscription (`SUBACK`), or, with no
    /// topic, accepted the connection.
    ///
    /// - Throws: `UserError` with the broker's refusal (`bad user name or password`, a refused subscription) or
    ///   why it could not connect.
    static func connect(
        to address: SocketAddress, on loop: any EventLoop, topicFilter: String?, qos: MQTTPacket.QoS,
        connect: MQTTPacket.Connect, rate: Double?, producers: Int, timeout: Int64, endpoint: String
    ) async throws -> (subscriber: NIOLoopBound<any MessageConsumer>, channel: any Channel) {
        try await open(to: address, on: loop, timeout: timeout, endpoint: endpoint, wire: "MQTT") { ready in
            MQTTSubscriber(
                topicFilter: topicFilter, qos: qos, connect: connect, rate: rate, producers: producers, ready: ready,
                timeout: timeout)
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        var bytes = MQTTPacket.connect(connect).encoded()
        if let topicFilter {
            bytes += MQTTPacket.subscribe(packetID: 1, subscriptions: [.init(topicFilter: topicFilter, qos: qos)])
                .encoded()
        }
        begin(
            context, login: context.channel.allocator.buffer(bytes: bytes), timeout: timeout,
            silence: MQTTReplyParser.Refused(description: "no answer to CONNECT and SUBSCRIBE in time"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = Self.now()
        var offset = 0
        var answers: [UInt8] = []
        let count = buffer.readableBytes
        while offset < count {
            let step: (consumed: Int, frame: MQTTPacket?)
            do {
                step = try buffer.withUnsafeReadableBytes { try parser.parse($0, from: offset) }
            } catch {
                note(error: "\(error)")
                context.close(promise: nil)
                return
            }
            offset += step.consumed
            switch step.frame {
            case .publish(let publish):
                let stamp = publish.payload.withUnsafeBytes { MessageStamp($0) }
                tally.record(stamp, bytes: publish.payload.count, now: now)
                switch (publish.qos, publish.packetID) {
                case (.atLeastOnce, let id?): answers += MQTTPacket.puback(packetID: id).encoded()
                case (.exactlyOnce, let id?): answers += MQTTPacket.pubrec(packetID: id).encoded()
                default: break
                }
            case .pubrel(let id):
                answers += MQTTPacket.pubcomp(packetID: id).encoded()
            case .connack(_, let code) where code != .accepted:
                note(error: "CONNECT refused: \(code)")
                settle(MQTTReplyParser.Refused(description: "CONNECT refused: \(code)"))
            case .connack where topicFilter == nil:
                isReady = true
                settle(nil)
            case .suback(_, let codes) where !isReady:
                // Subscribed at whatever QoS the broker grants; 0x80 refuses.
                guard codes.allSatisfy({ $0 <= 2 }) else {
                    note(error: "SUBSCRIBE to \(topicFilter ?? "") refused")
                    settle(MQTTReplyParser.Refused(description: "SUBSCRIBE to \(topicFilter ?? "") refused"))
                    break
                }
                isReady = true
                settle(nil)
            default: break
            }
        }
        if !answers.isEmpty { send(answers, context) }
    }

    private func send(_ bytes: [UInt8], _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}

@available(*, unavailable)
extension MQTTSubscriber: Sendable {}
