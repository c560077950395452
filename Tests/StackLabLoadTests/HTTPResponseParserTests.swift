import Testing

@testable import StackLabLoad

struct HTTPResponseParserTests {
    /// Feeds `chunks` in order and returns every response completed, plus whether the parser ends idle.
    func parse(_ chunks: [String], expectsNoBody: Bool = false) throws -> [HTTPResponseParser.Response] {
        var parser = HTTPResponseParser()
        parser.expectsNoBody = expectsNoBody
        var responses: [HTTPResponseParser.Response] = []
        for chunk in chunks {
            let bytes = Array(chunk.utf8)
            var offset = 0
            while offset < bytes.count {
                let step = try bytes.withUnsafeBytes { try parser.parse($0, from: offset) }
                offset += step.consumed
                if let response = step.response { responses.append(response) } else { break }
            }
        }
        if let last = try parser.endOfInput() { responses.append(last) }
        return responses
    }

    static let contentLength = "HTTP/1.1 200 OK\r\nServer: t\r\nContent-Length: 13\r\n\r\nHello, World!"
    static let chunked =
        "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n7;ext=1\r\nHello, \r\n6\r\nWorld!\r\n0\r\nX-Trailer: 1\r\n\r\n"

    @Test func contentLengthBody() throws {
        #expect(try parse([Self.contentLength]) == [.init(status: 200, closeAfter: false)])
    }

    @Test func severalResponsesInOneRead() throws {
        let responses = try parse([Self.contentLength + Self.chunked + Self.contentLength])
        #expect(responses.map(\.status) == [200, 201, 200])
    }

    @Test(arguments: [contentLength, chunked])
    func everySplitPointGivesTheSameResponse(text: String) throws {
        let whole = try parse([text])
        for split in 1..<text.utf8.count {
            let bytes = Array(text.utf8)
            let first = String(decoding: bytes[..<split], as: UTF8.self)
            let second = String(decoding: bytes[split...], as: UTF8.self)
            #expect(try parse([first, second]) == whole, "split at \(split)")
        }
        #expect(try parse(text.map { String($0) }) == whole)
    }

    @Test func connectionCloseAndHTTP10() throws {
        #expect(
            try parse(["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"]).first?.closeAfter == true)
        #expect(try parse(["HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"]).first?.closeAfter == true)
        #expect(
            try parse(["HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"]).first?.closeAfter
                == false)
    }

    @Test func bodyUntilCloseEndsAtEndOfInput() throws {
        #expect(try parse(["HTTP/1.1 200 OK\r\n\r\nsome", " body"]) == [.init(status: 200, closeAfter: true)])
    }

    @Test func noBodyStatusesAndHead() throws {
        #expect(try parse(["HTTP/1.1 204 No Content\r\n\r\n"]).map(\.status) == [204])
        #expect(
            try parse(["HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"], expectsNoBody: true).map(\.status) == [200])
    }

    @Test func interimResponseIsSkipped() throws {
        #expect(try parse(["HTTP/1.1 100 Continue\r\n\r\n" + Self.contentLength]).map(\.status) == [200])
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ])
    func malformedResponsesThrow(text: String) {
        #expect(throws: HTTPResponseParser.MalformedResponse.self) { try parse([text]) }
    }

    @Test func truncatedResponseThrowsAtEndOfInput() {
        #expect(throws: HTTPResponseParser.MalformedResponse.self) {
            try parse(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"])
        }
    }
}
