import Testing

@testable import StackLabLoad

/// MQTT 3.1.1 packets on byte strings: the bytes the specification gives, every packet back from its bytes, a
/// stream cut at every byte, and what is no packet.
struct MQTTPacketTests {
    typealias Packet = MQTTPacket

    static let packets: [Packet] = [
        .connect(.init(clientID: "stacklab-1", keepAlive: 30)),
        .connect(.init(clientID: "c", cleanSession: false, keepAlive: 0, user: "u", password: Array("p\0w".utf8))),
        .connack(sessionPresent: false, returnCode: .accepted),
        .connack(sessionPresent: true, returnCode: .badUserNameOrPassword),
        .publish(.init(topic: "t/0", payload: Array("hello".utf8))),
        .publish(.init(topic: "t/1", payload: [], qos: .atLeastOnce, packetID: 1, retain: true)),
        .publish(
            .init(
                topic: "ünïcode/2", payload: [UInt8](repeating: 0xAB, count: 300), qos: .exactlyOnce,
                packetID: 65535, duplicate: true)),
        .puback(packetID: 7), .pubrec(packetID: 8), .pubrel(packetID: 8), .pubcomp(packetID: 8),
        .subscribe(
            packetID: 3,
            subscriptions: [.init(topicFilter: "a/+", qos: .atLeastOnce), .init(topicFilter: "#", qos: .exactlyOnce)]),
        .suback(packetID: 3, returnCodes: [1, 2, 0x80]),
        .pingreq, .pingresp, .disconnect,
    ]

    @Test func packetsHaveTheSpecificationsBytes() {
        // CONNECT: "MQTT", level 4, clean session, keep-alive 60, client id "a".
        #expect(
            Packet.connect(.init(clientID: "a")).encoded()
                == [0x10, 13, 0, 4, 0x4D, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, 0, 1, 0x61])
        #expect(Packet.connack(sessionPresent: false, returnCode: .accepted).encoded() == [0x20, 2, 0, 0])
        // PUBLISH QoS 1: flags 0010, topic "a/b", packet id 10, payload "x".
        #expect(
            Packet.publish(.init(topic: "a/b", payload: [0x78], qos: .atLeastOnce, packetID: 10)).encoded()
                == [0x32, 8, 0, 3, 0x61, 0x2F, 0x62, 0, 10, 0x78])
        #expect(Packet.pubrel(packetID: 258).encoded() == [0x62, 2, 1, 2])
        #expect(
            Packet.subscribe(packetID: 1, subscriptions: [.init(topicFilter: "a", qos: .atLeastOnce)]).encoded()
                == [0x82, 6, 0, 1, 0, 1, 0x61, 1])
        #expect(Packet.pingreq.encoded() == [0xC0, 0])
        #expect(Packet.pingresp.encoded() == [0xD0, 0])
        #expect(Packet.disconnect.encoded() == [0xE0, 0])
    }

    /// The variable-length remaining length at each of its byte-count boundaries (the specification's table).
    @Test(
        arguments: [
            (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
            (2_097_151, [0xFF, 0xFF, 0x7F]), (2_097_152, [0x80, 0x80, 0x80, 0x01]),
            (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
        ] as [(Int, [UInt8])])
    func remainingLengthBoundaries(length: Int, bytes: [UInt8]) {
        var out: [UInt8] = []
        out.appendRemainingLength(length)
        #expect(out == bytes)
    }

    @Test func largePayloadsRoundTripThroughMultiByteLengths() throws {
        for size in [120, 127, 128, 16_380, 16_384, 200_000] {
            let packet = Packet.publish(.init(topic: "big", payload: [UInt8](repeating: 7, count: size)))
            var parser = MQTTPacketParser()
            #expect(try parser.parseAll(packet.encoded()) == [packet], "payload of \(size) bytes")
            #expect(parser.isIdle)
        }
    }

    @Test(arguments: packets.indices)
    func eachPacketRoundTripsWhenCutAtEveryByte(index: Int) throws {
        let packet = Self.packets[index]
        let bytes = packet.encoded()
        for cut in 0...bytes.count {
            var parser = MQTTPacketParser()
            var parsed = try parser.parseAll(Array(bytes[..<cut]))
            parsed += try parser.parseAll(Array(bytes[cut...]))
            #expect(parsed == [packet], "cut at \(cut)")
            #expect(parser.isIdle)
        }
    }

    @Test func aStreamOfPacketsFedByteByByteComesOutInOrder() throws {
        let stream = Self.packets.flatMap { $0.encoded() }
        var parser = MQTTPacketParser()
        var parsed: [Packet] = []
        for byte in stream { parsed += try parser.parseAll([byte]) }
        #expect(parsed == Self.packets)
        // In one read, the parser stops after each packet: consumed bytes add up to the stream.
        var whole = MQTTPacketParser()
        #expect(try whole.parseAll(stream) == Self.packets)
    }

    @Test(
        arguments: [
            ([0x30, 0x80, 0x80, 0x80, 0x80, 0x01], "runs over 4 bytes"),
            ([0x60, 2, 0, 1], "flags 0"),  // PUBREL without its required 0010 flags
            ([0x36, 5, 0, 1, 0x61, 0, 1], "QoS 3"),
            ([0x40, 3, 0, 1, 9], "1 bytes more"),
            ([0xF0, 0], "not one this client handles"),
            ([0x20, 1, 0], "past the end"),
            ([0x10, 12, 0, 4, 0x4D, 0x51, 0x49, 0x73, 3, 0x02, 0, 60, 0, 0], "not MQTT 3.1.1"),
        ] as [([UInt8], String)])
    func bytesThatAreNoPacketAreRefusedInOneLine(bytes: [UInt8], reason: String) {
        var parser = MQTTPacketParser()
        let error = #expect(throws: FramingError.self) { _ = try parser.parseAll(bytes) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix("MQTT: ") && text.contains(reason) && !text.contains("\n"), "\(text)")
    }

    @Test func aPacketOverTheLimitIsRefusedBeforeItIsBuffered() {
        var parser = MQTTPacketParser(maximumRemainingLength: 1024)
        #expect(throws: FramingError.self) { _ = try parser.parseAll([0x30, 0x80, 0x10]) }
    }

    @Test func connackCodesSayWhatWentWrong() {
        #expect(Packet.ConnectReturnCode.badUserNameOrPassword.description == "bad user name or password")
        #expect(Packet.ConnectReturnCode.notAuthorized.description == "not authorized")
        #expect(Packet.ConnectReturnCode(rawValue: 9).description == "return code 9")
    }
}
