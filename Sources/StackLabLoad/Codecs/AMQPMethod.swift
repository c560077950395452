/// The AMQP 0-9-1 methods a publishing and consuming client exchanges with RabbitMQ, as values: the connection
/// handshake, channels, queue declaration, publisher confirms, consumers and acknowledgements. A method frame
/// carries one (`AMQPFrame.method`).
enum AMQPMethod: Equatable, Sendable {
    case connectionStart(
        versionMajor: UInt8, versionMinor: UInt8, serverProperties: AMQPFieldTable, mechanisms: String,
        locales: String)
    case connectionStartOk(clientProperties: AMQPFieldTable, mechanism: String, response: [UInt8], locale: String)
    case connectionTune(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
    case connectionTuneOk(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
    case connectionOpen(virtualHost: String)
    case connectionOpenOk
    case connectionClose(Close)
    case connectionCloseOk
    /// RabbitMQ's extension: the broker stopped reading publishes (a memory or disk alarm).
    case connectionBlocked(reason: String)
    case connectionUnblocked
    case channelOpen
    case channelOpenOk
    case channelClose(Close)
    case channelCloseOk
    /// An exchange of `type` (`fanout`: every bound queue gets every message); `durable` survives a restart.
    case exchangeDeclare(exchange: String, type: String, durable: Bool)
    case exchangeDeclareOk
    case queueDeclare(QueueDeclare)
    case queueDeclareOk(queue: String, messageCount: UInt32, consumerCount: UInt32)
    case queueBind(queue: String, exchange: String, routingKey: String)
    case queueBindOk
    /// Drops the messages a queue holds (not those delivered and unacknowledged).
    case queuePurge(queue: String)
    case queuePurgeOk(messageCount: UInt32)
    /// Prefetch: at most `prefetchCount` unacknowledged deliveries per consumer (per channel with `global`).
    case basicQos(prefetchCount: UInt16, global: Bool)
    case basicQosOk
    case basicConsume(queue: String, consumerTag: String, noAck: Bool, exclusive: Bool, arguments: AMQPFieldTable)
    case basicConsumeOk(consumerTag: String)
    /// From the broker (`consumer_cancel_notify`): the consumer is gone, its queue deleted or its node down.
    case basicCancel(consumerTag: String)
    /// Followed by a content header frame and body frames (`AMQPFrame.publish`).
    case basicPublish(exchange: String, routingKey: String, mandatory: Bool)
    /// A mandatory publish no queue took, sent back before its confirm.
    case basicReturn(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
    /// Followed by a content header frame and body frames.
    case basicDeliver(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
    /// From a consumer, settles deliveries; from the broker in confirm mode, confirms publishes.
    case basicAck(deliveryTag: UInt64, multiple: Bool)
    case basicNack(deliveryTag: UInt64, multiple: Bool, requeue: Bool)
    case confirmSelect
    case confirmSelectOk

    /// Why a connection or channel is closed: a reply code (403 ACCESS_REFUSED, 404 NOT_FOUND…) and text, and
    /// the method that caused it (0 and 0 when none did).
    struct Close: Equatable, Sendable {
        var replyCode: UInt16
        var replyText: String
        var classID: UInt16 = 0
        var methodID: UInt16 = 0
    }

    /// `Queue.Declare`'s fields; `arguments` carries `x-queue-type` (`classic`, `quorum`, `stream`).
    struct QueueDeclare: Equatable, Sendable {
        var queue: String
        var passive = false
        var durable = false
        var exclusive = false
        var autoDelete = false
        var arguments = AMQPFieldTable()
    }

    /// `Connection.StartOk` logging in with PLAIN as `user`, announcing the capabilities this client handles:
    /// publisher confirms, and an `ACCESS_REFUSED` close instead of a bare disconnect for a refused login.
    static func startOk(user: String, password: String, product: String = "StackLab") -> AMQPMethod {
        let capabilities: AMQPFieldTable = [
            "publisher_confirms": .bool(true), "authentication_failure_close": .bool(true),
            "consumer_cancel_notify": .bool(true), "basic.nack": .bool(true), "connection.blocked": .bool(true),
        ]
        return .connectionStartOk(
            clientProperties: ["product": .string(product), "capabilities": .table(capabilities)], mechanism: "PLAIN",
            response: [0] + Array(user.utf8) + [0] + Array(password.utf8), locale: "en_US")
    }

    /// The class and method ids on the wire.
    var ids: (classID: UInt16, methodID: UInt16) {
        switch self {
        case .connectionStart: (10, 10)
        case .connectionStartOk: (10, 11)
        case .connectionTune: (10, 30)
        case .connectionTuneOk: (10, 31)
        case .connectionOpen: (10, 40)
        case .connectionOpenOk: (10, 41)
        case .connectionClose: (10, 50)
        case .connectionCloseOk: (10, 51)
        case .connectionBlocked: (10, 60)
        case .connectionUnblocked: (10, 61)
        case .channelOpen: (20, 10)
        case .channelOpenOk: (20, 11)
        case .channelClose: (20, 40)
        case .channelCloseOk: (20, 41)
        case .exchangeDeclare: (40, 10)
        case .exchangeDeclareOk: (40, 11)
        case .queueDeclare: (50, 10)
        case .queueDeclareOk: (50, 11)
        case .queueBind: (50, 20)
        case .queueBindOk: (50, 21)
        case .queuePurge: (50, 30)
        case .queuePurgeOk: (50, 31)
        case .basicQos: (60, 10)
        case .basicQosOk: (60, 11)
        case .basicConsume: (60, 20)
        case .basicConsumeOk: (60, 21)
        case .basicCancel: (60, 30)
        case .basicPublish: (60, 40)
        case .basicReturn: (60, 50)
        case .basicDeliver: (60, 60)
        case .basicAck: (60, 80)
        case .basicNack: (60, 120)
        case .confirmSelect: (85, 10)
        case .confirmSelectOk: (85, 11)
        }
    }
}
