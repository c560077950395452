import Testing

@testable import StackLabLoad

/// AMQP 0-9-1 frames on byte strings: the bytes the specification gives, every frame back from its bytes, a
/// stream cut at every byte, field tables of every value type, and what is no frame.
struct AMQPFrameTests {
    static let serverProperties: AMQPFieldTable = [
        "capabilities": .table([
            "publisher_confirms": .bool(true), "exchange_exchange_bindings": .bool(true), "basic.nack": .bool(true),
            "authentication_failure_close": .bool(true),
        ]),
        "cluster_name": .string("stacklab-5672@localhost"), "product": .string("RabbitMQ"),
        "version": .string("3.10.8"),
    ]

    static let frames: [AMQPFrame] = [
        .method(
            channel: 0,
            .connectionStart(
                versionMajor: 0, versionMinor: 9, serverProperties: serverProperties, mechanisms: "AMQPLAIN PLAIN",
                locales: "en_US")),
        .method(channel: 0, .startOk(user: "stacklab", password: "secret")),
        .method(channel: 0, .connectionTune(channelMax: 2047, frameMax: 131_072, heartbeat: 60)),
        .method(channel: 0, .connectionTuneOk(channelMax: 1, frameMax: 131_072, heartbeat: 0)),
        .method(channel: 0, .connectionOpen(virtualHost: "/")),
        .method(channel: 0, .connectionOpenOk),
        .method(
            channel: 0,
            .connectionClose(
                .init(replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused", classID: 10, methodID: 11))),
        .method(channel: 0, .connectionCloseOk),
        .method(channel: 0, .connectionBlocked(reason: "low on memory")),
        .method(channel: 0, .connectionUnblocked),
        .method(channel: 1, .channelOpen),
        .method(channel: 1, .channelOpenOk),
        .method(
            channel: 1,
            .channelClose(.init(replyCode: 404, replyText: "NOT_FOUND - no queue 'q'", classID: 60, methodID: 20))),
        .method(channel: 1, .channelCloseOk),
        .method(channel: 1, .confirmSelect),
        .method(channel: 1, .confirmSelectOk),
        .method(
            channel: 1,
            .queueDeclare(.init(queue: "orders", durable: true, arguments: ["x-queue-type": .string("quorum")]))),
        .method(channel: 1, .queueDeclare(.init(queue: "", passive: true, exclusive: true, autoDelete: true))),
        .method(channel: 1, .queueDeclareOk(queue: "orders", messageCount: 12, consumerCount: 1)),
        .method(channel: 1, .exchangeDeclare(exchange: "stacklab.0", type: "fanout", durable: true)),
        .method(channel: 1, .exchangeDeclareOk),
        .method(channel: 1, .queueBind(queue: "stacklab.0.sub-1", exchange: "stacklab.0", routingKey: "")),
        .method(channel: 1, .queueBindOk),
        .method(channel: 1, .queuePurge(queue: "stacklab.0.sub-1")),
        .method(channel: 1, .queuePurgeOk(messageCount: 7)),
        .method(channel: 1, .basicCancel(consumerTag: "c1")),
        .method(channel: 1, .basicQos(prefetchCount: 100, global: false)),
        .method(channel: 1, .basicQosOk),
        .method(
            channel: 1, .basicConsume(queue: "orders", consumerTag: "c1", noAck: false, exclusive: true, arguments: [:])
        ),
        .method(channel: 1, .basicConsumeOk(consumerTag: "c1")),
        .method(channel: 1, .basicPublish(exchange: "", routingKey: "orders", mandatory: true)),
        .method(channel: 1, .basicReturn(replyCode: 312, replyText: "NO_ROUTE", exchange: "", routingKey: "nowhere")),
        .method(
            channel: 1,
            .basicDeliver(
                consumerTag: "c1", deliveryTag: 1 << 40, redelivered: true, exchange: "", routingKey: "orders")),
        .method(channel: 1, .basicAck(deliveryTag: 5, multiple: true)),
        .method(channel: 1, .basicNack(deliveryTag: 6, multiple: false, requeue: true)),
        .header(channel: 1, .init(bodySize: 5, properties: .init(deliveryMode: 2))),
        .header(
            channel: 1,
            .init(
                bodySize: 1 << 33,
                properties: .init(
                    contentType: "application/octet-stream", contentEncoding: "identity",
                    headers: ["sent-ns": .int64(-1)], deliveryMode: 1, priority: 9, correlationID: "c", replyTo: "r",
                    expiration: "60000", messageID: "m-1", timestamp: 1_700_000_000, type: "t", userID: "stacklab",
                    appID: "stacklab"))),
        .body(channel: 1, Array("hello".utf8)),
        .body(channel: 1, []),
        .heartbeat,
    ]

    @Test func framesHaveTheSpecificationsBytes() {
        #expect(AMQPFrame.protocolHeader == [0x41, 0x4D, 0x51, 0x50, 0, 0, 9, 1])
        #expect(AMQPFrame.method(channel: 1, .channelOpen).encoded() == [1, 0, 1, 0, 0, 0, 5, 0, 20, 0, 10, 0, 0xCE])
        #expect(AMQPFrame.heartbeat.encoded() == [8, 0, 0, 0, 0, 0, 0, 0xCE])
        // Queue.Declare: ticket, a short string, the bits (durable is the second), a table with a long string.
        let declare = AMQPMethod.queueDeclare(
            .init(queue: "q", durable: true, arguments: ["x-queue-type": .string("quorum")]))
        #expect(
            declare.encoded()
                == [0, 50, 0, 10, 0, 0, 1, 0x71, 0x02, 0, 0, 0, 24, 12] + Array("x-queue-type".utf8)
                + [0x53, 0, 0, 0, 6] + Array("quorum".utf8))
        #expect(
            AMQPMethod.basicAck(deliveryTag: 258, multiple: true).encoded()
                == [0, 60, 0, 80, 0, 0, 0, 0, 0, 0, 1, 2, 1])
        // A content header: class 60, weight 0, body size, flags with delivery-mode (bit 12), the mode.
        #expect(
            AMQPContentHeader(bodySize: 5, properties: .init(deliveryMode: 2)).encoded()
                == [0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0x10, 0x00, 2])
        // PLAIN: NUL, user, NUL, password.
        guard
            case .connectionStartOk(_, let mechanism, let response, let locale) = AMQPMethod.startOk(
                user: "u", password: "pw")
        else {
            Issue.record("startOk is not Connection.StartOk")
            return
        }
        #expect(mechanism == "PLAIN" && locale == "en_US")
        #expect(response == [0, 0x75, 0, 0x70, 0x77])
    }

    @Test func fieldTablesCarryEveryValueType() throws {
        var bytes: [UInt8] = []
        let small: AMQPFieldTable = ["a": .bool(true)]
        small.encode(into: &bytes)
        #expect(bytes == [0, 0, 0, 4, 1, 0x61, 0x74, 1])

        let table: AMQPFieldTable = [
            "bool": .bool(false), "int8": .int8(-8), "uint8": .uint8(200), "int16": .int16(-300),
            "uint16": .uint16(60_000), "int32": .int32(-70_000), "uint32": .uint32(4_000_000_000),
            "int64": .int64(-5_000_000_000), "float": .float(1.5), "double": .double(-2.25),
            "decimal": .decimal(scale: 2, digits: 12_345), "string": .string("ünïcode"), "bytes": .bytes([0, 0xFF]),
            "array": .array([.int32(1), .string("two"), .void]), "timestamp": .timestamp(1_700_000_000),
            "table": .table(["nested": .table(["deeper": .bool(true)])]), "void": .void,
        ]
        var encoded: [UInt8] = []
        table.encode(into: &encoded)
        var reader = ByteReader(encoded, protocol: "AMQP")
        #expect(try AMQPFieldTable.decode(&reader) == table)
        #expect(reader.remaining == 0)
        #expect(table["uint16"] == .uint16(60_000) && table["missing"] == nil)
    }

    @Test(arguments: frames.indices)
    func eachFrameRoundTripsWhenCutAtEveryByte(index: Int) throws {
        let frame = Self.frames[index]
        let bytes = frame.encoded()
        for cut in 0...bytes.count {
            var parser = AMQPFrameParser()
            var parsed = try parser.parseAll(Array(bytes[..<cut]))
            parsed += try parser.parseAll(Array(bytes[cut...]))
            #expect(parsed == [frame], "cut at \(cut)")
            #expect(parser.isIdle)
        }
    }

    @Test func aStreamOfFramesFedByteByByteComesOutInOrder() throws {
        let stream = Self.frames.flatMap { $0.encoded() }
        var parser = AMQPFrameParser()
        var parsed: [AMQPFrame] = []
        for byte in stream { parsed += try parser.parseAll([byte]) }
        #expect(parsed == Self.frames)
        var whole = AMQPFrameParser()
        #expect(try whole.parseAll(stream) == Self.frames)
    }

    @Test func aPublishIsCutIntoBodyFramesOfTheTunedSize() throws {
        let body = (0..<300).map { UInt8($0 % 251) }
        let frames = AMQPFrame.publish(
            channel: 3, routingKey: "q", properties: .init(deliveryMode: 2), body: body, frameMax: 108)
        #expect(frames.count == 5)
        #expect(frames[0] == .method(channel: 3, .basicPublish(exchange: "", routingKey: "q", mandatory: false)))
        #expect(frames[1] == .header(channel: 3, .init(bodySize: 300, properties: .init(deliveryMode: 2))))
        var joined: [UInt8] = []
        for frame in frames.dropFirst(2) {
            guard case .body(3, let piece) = frame else {
                Issue.record("not a body frame: \(frame)")
                continue
            }
            #expect(frame.encoded().count <= 108)
            joined += piece
        }
        #expect(joined == body)
        // An empty message has no body frame.
        #expect(AMQPFrame.publish(channel: 1, routingKey: "q", body: []).count == 2)
    }

    @Test func aBrokerRefusingTheProtocolVersionIsSeen() throws {
        var parser = AMQPFrameParser()
        let answer: [UInt8] = Array("AMQP".utf8) + [0, 0, 9, 1]
        #expect(try parser.parseAll(answer) == [.protocolMismatch(serverHeader: answer)])
    }

    @Test(
        arguments: [
            ([1, 0, 0, 0, 0, 0, 4, 0, 10, 0, 51, 0xFF], "does not end with 0xCE"),
            ([4, 0, 0, 0, 0, 0, 0, 0xCE], "frame type 4"),
            ([1, 0, 0, 0, 0, 0, 4, 0, 90, 0, 10, 0xCE], "method 90.10 is not one this client handles"),
            ([1, 0, 0, 0, 0, 0, 5, 0, 10, 0, 51, 7, 0xCE], "1 bytes more"),
            ([1, 0, 0, 0, 0, 0, 6, 0, 60, 0, 80, 0, 1, 0xCE], "past the end"),
            ([1, 0, 0, 0x10, 0, 0, 0], "over the frame-max"),
        ] as [([UInt8], String)])
    func bytesThatAreNoFrameAreRefusedInOneLine(bytes: [UInt8], reason: String) {
        var parser = AMQPFrameParser()
        let error = #expect(throws: FramingError.self) { _ = try parser.parseAll(bytes) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix("AMQP: ") && text.contains(reason) && !text.contains("\n"), "\(text)")
    }

    @Test func aRefusedLoginReadsAsOneLine() {
        let refusal = AMQPRefusal(
            close: .init(
                replyCode: 403,
                replyText: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see "
                    + "the broker logfile.", classID: 0, methodID: 0), connection: true)
        #expect(
            refusal.description
                == "the AMQP broker closed the connection: 403 ACCESS_REFUSED - Login was refused using authentication "
                + "mechanism PLAIN. For details see the broker logfile. (check the user, password and virtual host)")
    }
}
