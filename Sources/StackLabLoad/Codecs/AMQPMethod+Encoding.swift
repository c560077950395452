extension AMQPMethod {
    /// The method frame's payload: class id, method id, arguments.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.append(uint16: ids.classID)
        out.append(uint16: ids.methodID)
        switch self {
        case .connectionStart(let major, let minor, let properties, let mechanisms, let locales):
            out += [major, minor]
            properties.encode(into: &out)
            out.appendAMQPLongString(Array(mechanisms.utf8))
            out.appendAMQPLongString(Array(locales.utf8))
        case .connectionStartOk(let properties, let mechanism, let response, let locale):
            properties.encode(into: &out)
            out.appendAMQPShortString(mechanism)
            out.appendAMQPLongString(response)
            out.appendAMQPShortString(locale)
        case .connectionTune(let channelMax, let frameMax, let heartbeat),
            .connectionTuneOk(let channelMax, let frameMax, let heartbeat):
            out.append(uint16: channelMax)
            out.append(uint32: frameMax)
            out.append(uint16: heartbeat)
        case .connectionOpen(let virtualHost):
            out.appendAMQPShortString(virtualHost)
            out.appendAMQPShortString("")
            out.append(0)
        case .connectionOpenOk, .channelOpen:
            out.appendAMQPShortString("")
        case .channelOpenOk:
            out.appendAMQPLongString([])
        case .connectionClose(let close), .channelClose(let close):
            out.append(uint16: close.replyCode)
            out.appendAMQPShortString(close.replyText)
            out.append(uint16: close.classID)
            out.append(uint16: close.methodID)
        case .connectionBlocked(let reason):
            out.appendAMQPShortString(reason)
        case .connectionCloseOk, .connectionUnblocked, .channelCloseOk, .basicQosOk, .confirmSelectOk,
            .exchangeDeclareOk, .queueBindOk:
            break
        case .exchangeDeclare(let exchange, let type, let durable):
            out.append(uint16: 0)
            out.appendAMQPShortString(exchange)
            out.appendAMQPShortString(type)
            out.append(bits: false, durable, false, false, false)
            AMQPFieldTable().encode(into: &out)
        case .queueBind(let queue, let exchange, let routingKey):
            out.append(uint16: 0)
            out.appendAMQPShortString(queue)
            out.appendAMQPShortString(exchange)
            out.appendAMQPShortString(routingKey)
            out.append(bits: false)
            AMQPFieldTable().encode(into: &out)
        case .queuePurge(let queue):
            out.append(uint16: 0)
            out.appendAMQPShortString(queue)
            out.append(bits: false)
        case .queuePurgeOk(let messageCount):
            out.append(uint32: messageCount)
        case .basicCancel(let tag):
            out.appendAMQPShortString(tag)
            out.append(bits: false)
        case .queueDeclare(let declare):
            out.append(uint16: 0)
            out.appendAMQPShortString(declare.queue)
            out.append(bits: declare.passive, declare.durable, declare.exclusive, declare.autoDelete, false)
            declare.arguments.encode(into: &out)
        case .queueDeclareOk(let queue, let messages, let consumers):
            out.appendAMQPShortString(queue)
            out.append(uint32: messages)
            out.append(uint32: consumers)
        case .basicQos(let prefetchCount, let global):
            out.append(uint32: 0)
            out.append(uint16: prefetchCount)
            out.append(bits: global)
        case .basicConsume(let queue, let tag, let noAck, let exclusive, let arguments):
            out.append(uint16: 0)
            out.appendAMQPShortString(queue)
            out.appendAMQPShortString(tag)
            out.append(bits: false, noAck, exclusive, false)
            arguments.encode(into: &out)
        case .basicConsumeOk(let tag):
            out.appendAMQPShortString(tag)
        case .basicPublish(let exchange, let routingKey, let mandatory):
            out.append(uint16: 0)
            out.appendAMQPShortString(exchange)
            out.appendAMQPShortString(routingKey)
            out.append(bits: mandatory, false)
        case .basicReturn(let code, let text, let exchange, let routingKey):
            out.append(uint16: code)
            out.appendAMQPShortString(text)
            out.appendAMQPShortString(exchange)
            out.appendAMQPShortString(routingKey)
        case .basicDeliver(let tag, let deliveryTag, let redelivered, let exchange, let routingKey):
            out.appendAMQPShortString(tag)
            out.append(uint64: deliveryTag)
            out.append(bits: redelivered)
            out.appendAMQPShortString(exchange)
            out.appendAMQPShortString(routingKey)
        case .basicAck(let deliveryTag, let multiple):
            out.append(uint64: deliveryTag)
            out.append(bits: multiple)
        case .basicNack(let deliveryTag, let multiple, let requeue):
            out.append(uint64: deliveryTag)
            out.append(bits: multiple, requeue)
        case .confirmSelect:
            out.append(bits: false)
        }
        return out
    }

    /// Decodes a method frame's payload.
    ///
    /// - Throws: `FramingError` for a method this client does not handle or fields that do not fit the frame.
    static func decode(_ payload: [UInt8]) throws(FramingError) -> AMQPMethod {
        var reader = ByteReader(payload, protocol: "AMQP")
        let classID = try reader.uint16()
        let methodID = try reader.uint16()
        let method: AMQPMethod
        switch (classID, methodID) {
        case (10, 10):
            method = .connectionStart(
                versionMajor: try reader.uint8(), versionMinor: try reader.uint8(),
                serverProperties: try AMQPFieldTable.decode(&reader),
                mechanisms: String(decoding: try reader.amqpLongString(), as: UTF8.self),
                locales: String(decoding: try reader.amqpLongString(), as: UTF8.self))
        case (10, 11):
            method = .connectionStartOk(
                clientProperties: try AMQPFieldTable.decode(&reader), mechanism: try reader.amqpShortString(),
                response: try reader.amqpLongString(), locale: try reader.amqpShortString())
        case (10, 30), (10, 31):
            let (channelMax, frameMax, heartbeat) = (try reader.uint16(), try reader.uint32(), try reader.uint16())
            method =
                methodID == 30
                ? .connectionTune(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
                : .connectionTuneOk(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
        case (10, 40):
            let host = try reader.amqpShortString()
            _ = try reader.amqpShortString()
            _ = try reader.uint8()
            method = .connectionOpen(virtualHost: host)
        case (10, 41):
            _ = try reader.amqpShortString()
            method = .connectionOpenOk
        case (10, 50): method = .connectionClose(try close(&reader))
        case (10, 51): method = .connectionCloseOk
        case (10, 60): method = .connectionBlocked(reason: try reader.amqpShortString())
        case (10, 61): method = .connectionUnblocked
        case (20, 10):
            _ = try reader.amqpShortString()
            method = .channelOpen
        case (20, 11):
            _ = try reader.amqpLongString()
            method = .channelOpenOk
        case (20, 40): method = .channelClose(try close(&reader))
        case (20, 41): method = .channelCloseOk
        case (40, 10):
            _ = try reader.uint16()
            let (exchange, type, bits) = (
                try reader.amqpShortString(), try reader.amqpShortString(), try reader.uint8()
            )
            _ = try AMQPFieldTable.decode(&reader)
            method = .exchangeDeclare(exchange: exchange, type: type, durable: bits & 2 != 0)
        case (40, 11): method = .exchangeDeclareOk
        case (50, 10):
            _ = try reader.uint16()
            let queue = try reader.amqpShortString()
            let bits = try reader.uint8()
            method = .queueDeclare(
                .init(
                    queue: queue, passive: bits & 1 != 0, durable: bits & 2 != 0, exclusive: bits & 4 != 0,
                    autoDelete: bits & 8 != 0, arguments: try AMQPFieldTable.decode(&reader)))
        case (50, 11):
            method = .queueDeclareOk(
                queue: try reader.amqpShortString(), messageCount: try reader.uint32(),
                consumerCount: try reader.uint32())
        case (50, 20):
            _ = try reader.uint16()
            let (queue, exchange, key) = (
                try reader.amqpShortString(), try reader.amqpShortString(), try reader.amqpShortString()
            )
            _ = try reader.uint8()
            _ = try AMQPFieldTable.decode(&reader)
            method = .queueBind(queue: queue, exchange: exchange, routingKey: key)
        case (50, 21): method = .queueBindOk
        case (50, 30):
            _ = try reader.uint16()
            let queue = try reader.amqpShortString()
            _ = try reader.uint8()
            method = .queuePurge(queue: queue)
        case (50, 31): method = .queuePurgeOk(messageCount: try reader.uint32())
        case (60, 10):
            _ = try reader.uint32()
            method = .basicQos(prefetchCount: try reader.uint16(), global: try reader.uint8() & 1 != 0)
        case (60, 11): method = .basicQosOk
        case (60, 20):
            _ = try reader.uint16()
            let (queue, tag, bits) = (try reader.amqpShortString(), try reader.amqpShortString(), try reader.uint8())
            method = .basicConsume(
                queue: queue, consumerTag: tag, noAck: bits & 2 != 0, exclusive: bits & 4 != 0,
                arguments: try AMQPFieldTable.decode(&reader))
        case (60, 21): method = .basicConsumeOk(consumerTag: try reader.amqpShortString())
        case (60, 30):
            let tag = try reader.amqpShortString()
            _ = try reader.uint8()
            method = .basicCancel(consumerTag: tag)
        case (60, 40):
            _ = try reader.uint16()
            method = .basicPublish(
                exchange: try reader.amqpShortString(), routingKey: try reader.amqpShortString(),
                mandatory: try reader.uint8() & 1 != 0)
        case (60, 50):
            method = .basicReturn(
                replyCode: try reader.uint16(), replyText: try reader.amqpShortString(),
                exchange: try reader.amqpShortString(), routingKey: try reader.amqpShortString())
        case (60, 60):
            method = .basicDeliver(
                consumerTag: try reader.amqpShortString(), deliveryTag: try reader.uint64(),
                redelivered: try reader.uint8() & 1 != 0, exchange: try reader.amqpShortString(),
                routingKey: try reader.amqpShortString())
        case (60, 80): method = .basicAck(deliveryTag: try reader.uint64(), multiple: try reader.uint8() & 1 != 0)
        case (60, 120):
            let tag = try reader.uint64()
            let bits = try reader.uint8()
            method = .basicNack(deliveryTag: tag, multiple: bits & 1 != 0, requeue: bits & 2 != 0)
        case (85, 10):
            _ = try reader.uint8()
            method = .confirmSelect
        case (85, 11): method = .confirmSelectOk
        default:
            throw reader.failure("method \(classID).\(methodID) is not one this client handles")
        }
        guard reader.remaining == 0 else {
            throw reader.failure("method \(classID).\(methodID) has \(reader.remaining) bytes more than its fields")
        }
        return method
    }

    private static func close(_ reader: inout ByteReader) throws(FramingError) -> Close {
        Close(
            replyCode: try reader.uint16(), replyText: try reader.amqpShortString(), classID: try reader.uint16(),
            methodID: try reader.uint16())
    }
}

extension Array where Element == UInt8 {
    /// Consecutive bit fields packed into one octet, the first in the lowest bit.
    mutating func append(bits: Bool...) {
        var octet: UInt8 = 0
        for (index, bit) in bits.enumerated() where bit { octet |= 1 << index }
        append(octet)
    }
}
