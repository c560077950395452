import NIOCore
import Testing

@testable import StackLabLoad

struct RESPReplyParserTests {
    typealias Kind = RESPReplyParser.Reply.Kind

    /// Every reply the engine meets, and replies nested in arrays.
    static let cases: [(String, Kind, String)] = [
        ("+OK\r\n", .simple, ""),
        ("-ERR unknown command 'FOO'\r\n", .error, "ERR unknown command 'FOO'"),
        (
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n", .error,
            "WRONGPASS invalid username-password pair or user is disabled."
        ),
        (":1000\r\n", .integer, ""),
        (":-42\r\n", .integer, ""),
        ("$5\r\nhello\r\n", .bulk, ""),
        ("$0\r\n\r\n", .bulk, ""),
        ("$12\r\nwith\r\ncrlf!!\r\n", .bulk, ""),
        ("$-1\r\n", .null, ""),
        ("*-1\r\n", .null, ""),
        ("*0\r\n", .array, ""),
        ("*2\r\n$3\r\nfoo\r\n$-1\r\n", .array, ""),
        ("*2\r\n*1\r\n:1\r\n+two\r\n", .array, ""),
    ]

    /// Parses `bytes` fed in pieces cut at `cuts`, returning the replies in order.
    func replies(_ bytes: [UInt8], cuts: [Int]) throws -> [RESPReplyParser.Reply] {
        var parser = RESPReplyParser()
        var replies: [RESPReplyParser.Reply] = []
        var bounds = [0] + cuts + [bytes.count]
        bounds = Array(Set(bounds)).sorted()
        for (from, to) in zip(bounds, bounds.dropFirst()) {
            let piece = Array(bytes[from..<to])
            var offset = 0
            while offset < piece.count {
                let step = try piece.withUnsafeBytes { try parser.parse($0, from: offset) }
                offset += step.consumed
                if let reply = step.reply { replies.append(reply) }
            }
        }
        #expect(parser.isIdle)
        return replies
    }

    @Test(arguments: cases.indices)
    func eachReplySplitAtEveryByte(index: Int) throws {
        let (text, kind, message) = Self.cases[index]
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            let parsed = try replies(bytes, cuts: [cut])
            #expect(parsed == [.init(kind: kind, message: message)], "cut at \(cut) of \(text.debugDescription)")
        }
        // Byte by byte.
        #expect(try replies(bytes, cuts: Array(0...bytes.count)) == [.init(kind: kind, message: message)])
    }

    @Test func pipelinedRepliesInOneReadComeOutInOrder() throws {
        let text = Self.cases.map(\.0).joined()
        let expected = Self.cases.map { RESPReplyParser.Reply(kind: $0.1, message: $0.2) }
        #expect(try replies(Array(text.utf8), cuts: []) == expected)
        for cut in stride(from: 0, to: text.utf8.count, by: 7) {
            #expect(try replies(Array(text.utf8), cuts: [cut, cut + 3]) == expected)
        }
    }

    @Test func garbageIsMalformed() {
        var parser = RESPReplyParser()
        let bytes = Array("HTTP/1.1 200 OK\r\n".utf8)
        #expect(throws: RESPReplyParser.MalformedReply.self) {
            try bytes.withUnsafeBytes { try parser.parse($0, from: 0) }
        }
        var other = RESPReplyParser()
        #expect(throws: RESPReplyParser.MalformedReply.self) {
            try Array("$x\r\n".utf8).withUnsafeBytes { try other.parse($0, from: 0) }
        }
    }

    @Test func commandsAreWrittenAsRESP() {
        var buffer = ByteBuffer()
        let writer = RESPCommandWriter(valueSize: 3)
        writer.writeGet(record: 0, into: &buffer)
        let key = YCSBKey.name(0)
        #expect(
            buffer.readString(length: buffer.readableBytes) == "*2\r\n$3\r\nGET\r\n$\(key.utf8.count)\r\n\(key)\r\n")
        let written = writer.writeSet(record: 7, into: &buffer)
        let text = buffer.readString(length: buffer.readableBytes) ?? ""
        #expect(written == text.utf8.count)
        #expect(text.hasPrefix("*3\r\n$3\r\nSET\r\n$\(YCSBKey.name(7).utf8.count)\r\n\(YCSBKey.name(7))\r\n$3\r\n"))
    }
}
