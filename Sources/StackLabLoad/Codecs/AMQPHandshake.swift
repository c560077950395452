/// The client's side of an AMQP 0-9-1 connection's opening, as a value fed the broker's frames, tested without a
/// socket: the caller writes the protocol header; `Connection.Start` is answered with a PLAIN login, `Tune` with
/// `TuneOk` (a frame-max of ``frameMax``, no heartbeats: a run's connections are never idle long) and `Open`; then
/// channel 1 is opened and the `setup` methods (confirm mode, exchanges, queues, prefetch, a consumer) are sent one
/// at a time, each once the broker has answered the one before, as AMQP asks of synchronous methods.
///
/// Shared by the producers' ``AMQPReplyParser`` and the consumers' ``AMQPSubscriber``.
struct AMQPHandshake {
    /// The frame size this client reads and writes: RabbitMQ's default. A broker that allows less is refused, as
    /// publishes are cut into frames of this size once, when the run starts.
    static let frameMax: UInt32 = 131_072
    /// The one channel a connection uses.
    static let channel: UInt16 = 1

    private let user: String
    private let password: String
    private let virtualHost: String
    private let setup: [AMQPMethod]
    private var sent = 0
    /// The channel is open and every setup method answered.
    private(set) var isOpen = false

    init(user: String, password: String, virtualHost: String = "/", setup: [AMQPMethod]) {
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.setup = setup
    }

    /// Handles one frame of the opening: the frames to answer it with.
    ///
    /// - Throws: ``AMQPRefusal`` for a broker's `Connection.Close` or `Channel.Close` (a refused login, a queue
    ///   declared with other arguments), `FramingError` for a broker that does not speak AMQP 0-9-1 or offers no
    ///   PLAIN login or too small a frame.
    mutating func handle(_ frame: AMQPFrame) throws -> [AMQPFrame] {
        switch frame {
        case .method(_, .connectionStart(_, _, _, let mechanisms, _)):
            guard mechanisms.split(separator: " ").contains("PLAIN") else {
                throw Self.failure("the broker offers no PLAIN login (it offers \(mechanisms))")
            }
            return [.method(channel: 0, .startOk(user: user, password: password))]
        case .method(_, .connectionTune(_, let frameMax, _)):
            guard frameMax == 0 || frameMax >= Self.frameMax else {
                throw Self.failure("the broker's frame_max is \(frameMax) bytes; this client needs \(Self.frameMax)")
            }
            return [
                .method(channel: 0, .connectionTuneOk(channelMax: 1, frameMax: Self.frameMax, heartbeat: 0)),
                .method(channel: 0, .connectionOpen(virtualHost: virtualHost)),
            ]
        case .method(_, .connectionOpenOk):
            return [.method(channel: Self.channel, .channelOpen)]
        case .method(_, .connectionClose(let close)):
            throw AMQPRefusal(close: close, connection: true)
        case .method(_, .channelClose(let close)):
            throw AMQPRefusal(close: close, connection: false)
        case .method(_, .channelOpenOk), .method(_, .confirmSelectOk), .method(_, .exchangeDeclareOk),
            .method(_, .queueDeclareOk), .method(_, .queueBindOk), .method(_, .queuePurgeOk), .method(_, .basicQosOk),
            .method(_, .basicConsumeOk):
            guard sent < setup.count else {
                isOpen = true
                return []
            }
            sent += 1
            return [.method(channel: Self.channel, setup[sent - 1])]
        case .protocolMismatch(let header):
            throw Self.failure("the server does not speak AMQP 0-9-1 (it answered with the header \(header))")
        case .heartbeat, .method(_, .connectionBlocked), .method(_, .connectionUnblocked):
            return []
        default:
            throw Self.failure("\(frame) came before the channel was open")
        }
    }

    private static func failure(_ message: String) -> FramingError {
        FramingError(wireProtocol: "AMQP", message: message)
    }
}

extension AMQPHandshake {
    /// The exchange of topic `topic`: a durable fanout, so that every subscription's queue bound to it gets every
    /// message.
    static func exchange(_ name: String) -> AMQPMethod {
        .exchangeDeclare(exchange: name, type: "fanout", durable: true)
    }

    /// The setup of a consumer of `queue` (of `type`, durable) bound to `exchange`: it declares both and binds them
    /// (so consumers connected before the producers miss nothing), empties the queue when it is the first of its
    /// subscription (messages a run before left there are not this run's), takes up to `prefetch` unacknowledged
    /// deliveries, and consumes.
    static func consumer(
        queue: String, type: String, exchange: String, prefetch: Int, purge: Bool, tag: String
    ) -> [AMQPMethod] {
        var methods: [AMQPMethod] = [
            Self.exchange(exchange),
            .queueDeclare(.init(queue: queue, durable: true, arguments: ["x-queue-type": .string(type)])),
            .queueBind(queue: queue, exchange: exchange, routingKey: ""),
        ]
        if purge { methods.append(.queuePurge(queue: queue)) }
        methods.append(.basicQos(prefetchCount: UInt16(clamping: prefetch), global: false))
        methods.append(.basicConsume(queue: queue, consumerTag: tag, noAck: false, exclusive: false, arguments: [:]))
        return methods
    }
}
