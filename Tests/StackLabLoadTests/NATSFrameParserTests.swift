import NIOCore
import StackLabCore
import Testing

@testable import StackLabLoad

/// The NATS client protocol's server frames on byte strings, whole and split at every byte.
struct NATSFrameParserTests {
    typealias Frame = NATSFrameParser.Frame

    /// Every frame of `text`, fed in pieces of `pieces` bytes.
    static func frames(_ bytes: [UInt8], pieces: Int = .max) throws -> [Frame] {
        var parser = NATSFrameParser()
        var frames: [Frame] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + max(1, min(pieces, bytes.count)))
            let piece = Array(bytes[start..<end])
            var offset = 0
            try piece.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let step = try parser.next(buffer, from: offset)
                    offset += step.consumed
                    if let frame = step.frame { frames.append(frame) }
                }
            }
            start = end
        }
        #expect(parser.isIdle)
        return frames
    }

    static func stamped(_ stamp: MessageStamp, size: Int) -> [UInt8] {
        var buffer = ByteBuffer()
        stamp.write(into: &buffer)
        buffer.writeRepeatingByte(UInt8(ascii: "x"), count: size - MessageStamp.size)
        return Array(buffer.readableBytesView)
    }

    @Test func controlLinesAndAMessage() throws {
        let stamp = MessageStamp(producer: 3, sequence: 42, intended: 1_234_567_890)
        let bytes =
            Array("INFO {\"server_id\":\"x\",\"headers\":true}\r\n+OK\r\nPING\r\nPONG\r\nMSG stacklab.0 1 40\r\n".utf8)
            + Self.stamped(stamp, size: 40) + Array("\r\n-ERR 'Authorization Violation'\r\n".utf8)
        let expected: [Frame] = [
            .info("{\"server_id\":\"x\",\"headers\":true}"), .ok, .ping, .pong,
            .message(sid: 1, replyTo: nil, headerBytes: 0, payloadBytes: 40, stamp: stamp),
            .error("Authorization Violation"),
        ]
        #expect(try Self.frames(bytes) == expected)
        // The same frames whatever the reads' sizes: split at every byte, and in pieces of 7.
        #expect(try Self.frames(bytes, pieces: 1) == expected)
        #expect(try Self.frames(bytes, pieces: 7) == expected)
    }

    @Test func headersAndReplySubjectAreSkippedToTheStamp() throws {
        let stamp = MessageStamp(producer: 0, sequence: 1, intended: 99)
        let headers = Array("NATS/1.0\r\nX-Test: yes\r\n\r\n".utf8)
        let payload = Self.stamped(stamp, size: 30)
        let bytes =
            Array("HMSG a.b 7 _INBOX.r \(headers.count) \(headers.count + payload.count)\r\n".utf8) + headers + payload
            + Array("\r\nMSG a 2 0\r\n\r\n".utf8)
        let expected: [Frame] = [
            .message(sid: 7, replyTo: "_INBOX.r", headerBytes: headers.count, payloadBytes: 30, stamp: stamp),
            .message(sid: 2, replyTo: nil, headerBytes: 0, payloadBytes: 0, stamp: nil),
        ]
        #expect(try Self.frames(bytes) == expected)
        #expect(try Self.frames(bytes, pieces: 1) == expected)
    }

    @Test func aMessageWithoutAStampIsCountedAsSuch() throws {
        let bytes = Array("MSG s 1 5\r\nhello\r\n".utf8)
        #expect(try Self.frames(bytes) == [.message(sid: 1, replyTo: nil, headerBytes: 0, payloadBytes: 5, stamp: nil)])
    }

    @Test(arguments: [
        "HELLO there\r\n", "MSG s x 5\r\nhello\r\n", "MSG s 1 5\r\nhello!!\r\n", "HMSG s 1 9 5\r\n",
    ])
    func bytesThatAreNoFrameAreRefused(_ text: String) {
        #expect(throws: NATSFrameParser.ProtocolError.self) { try Self.frames(Array(text.utf8)) }
    }

    @Test func aProducerCountsOnePONGPerMessageAndStopsAtAnError() throws {
        var parser = NATSReplyParser()
        let bytes = Array("INFO {}\r\nPONG\r\nPING\r\nPONG\r\n".utf8)
        var replies = 0
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let step = try parser.nextReply(buffer, from: offset)
                offset += step.consumed
                if let reply = step.reply {
                    #expect(reply.outcome == .acknowledged)
                    replies += 1
                }
            }
        }
        #expect(replies == 2)
        let refusal = Array("-ERR 'Authorization Violation'\r\n".utf8)
        #expect(throws: NATSFrameParser.ProtocolError(description: "Authorization Violation")) {
            try refusal.withUnsafeBytes { _ = try parser.nextReply($0, from: 0) }
        }
    }

    @Test func aNATSURLCarriesItsLoginAndDefaultPort() throws {
        let target = try TargetURL(parsing: "nats://lab:s3cret@127.0.0.1")
        #expect(target.isNATS && target.port == 4222)
        #expect(target.user == "lab" && target.password == "s3cret")
        #expect(target.text == "nats://lab:***@127.0.0.1")
        let options = LoadOptions(target: target)
        #expect(options.messaging == Workload.Messaging() && options.connections == 1)
        #expect(options.methodLabel == "PUB")
    }

    @Test func theCodecPublishesAStampedMessageThenAPING() throws {
        var options = LoadOptions(target: try TargetURL(parsing: "nats://me:secret@127.0.0.1:4222"))
        let messaging = Workload.Messaging(topics: 2, messageSize: 32, headers: [.init(name: "X-Run", value: "1")])
        options.messaging = messaging
        let ledger = PublishLedger(first: 1, producers: 1)
        var codec = NATSCodec(options: options, messaging: messaging, ledger: ledger)
        var greeting = ByteBuffer()
        #expect(codec.writeGreeting(into: &greeting))
        let login = String(buffer: greeting)
        #expect(login.hasPrefix("CONNECT {") && login.hasSuffix("}\r\nPING\r\n"))
        #expect(login.contains("\"user\":\"me\"") && login.contains("\"pass\":\"secret\""))
        #expect(login.contains("\"verbose\":false") && login.contains("\"headers\":true"))

        var out = ByteBuffer()
        let written = codec.writeRequest(into: &out, connection: 0, due: 5_000)
        let headers = "NATS/1.0\r\nX-Run: 1\r\n\r\n"
        let line = "HPUB stacklab.1 \(headers.utf8.count) \(headers.utf8.count + 32)\r\n" + headers
        #expect(written.bytes == out.readableBytes)
        #expect(out.readString(length: line.utf8.count) == line)
        let stamp = out.readBytes(length: 32)!.withUnsafeBytes { MessageStamp($0) }
        #expect(stamp == MessageStamp(producer: 1, sequence: 1, intended: 5_000))
        #expect(out.readString(length: out.readableBytes) == "\r\nPING\r\n")
        _ = codec.writeRequest(into: &out, connection: 0, due: 6_000)
        #expect(ledger.sent == [2])
    }
}
