#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 answer read whole from a loopback socket: what a verifier needs to judge the bytes on the wire.
struct HTTPAnswer: Sendable, Equatable {
    var status: Int
    /// Header fields in the order received, names as sent.
    var headers: [(name: String, value: String)]
    /// Every byte after the blank line, up to the end of the connection (the request asked for `close`).
    var body: [UInt8]

    /// The first value of header `name`, compared case-insensitively; nil when absent.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    static func == (left: HTTPAnswer, right: HTTPAnswer) -> Bool {
        left.status == right.status && left.body == right.body
            && left.headers.map { [$0.name, $0.value] } == right.headers.map { [$0.name, $0.value] }
    }
}

extension LoopbackSocket {
    /// The most a verifier reads of one answer; `/queries?queries=500` is about 16 KiB.
    static let answerLimit = 4 << 20

    /// Sends `GET path HTTP/1.1` with `Connection: close` to 127.0.0.1:`port` and reads the whole answer.
    ///
    /// The answer ends where its `Content-Length` says, plus whatever bytes had already arrived beyond it (so a
    /// verifier sees a body longer than announced), or at the end of the connection without one. A server that
    /// ignores `Connection: close` is not waited for. `timeout` bounds the connect and each read, not the whole
    /// exchange.
    static func get(port: Int, path: String, timeout: Duration) throws(Failure) -> HTTPAnswer {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        try sendAll(
            fd,
            Array(
                "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: stacklab-verify\r\nAccept: */*\r\n"
                    .utf8) + Array("Connection: close\r\n\r\n".utf8))
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        var head: HTTPAnswer?
        var bodyStart = 0
        while response.count < answerLimit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure(reason: "no answer in time") }
            // A reset after a complete answer (the server closed with our request's bytes unread) still counts.
            if count < 0 && errno == ECONNRESET && !response.isEmpty { break }
            if count < 0 { throw .errno("recv") }
            if count == 0 { break }
            response += buffer[0..<count]
            if head == nil, let end = headEnd(response) {
                head = try parse(Array(response[0..<end + 4]))
                bodyStart = end + 4
            }
            guard let head else { continue }
            if let length = head.header("Content-Length").flatMap({ Int($0) }), response.count - bodyStart >= length {
                // Bytes beyond the announced length that are already here belong to this answer's judgement.
                while true {
                    let extra = buffer.withUnsafeMutableBytes {
                        recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
                    }
                    guard extra > 0, response.count < answerLimit else { break }
                    response += buffer[0..<extra]
                }
                break
            }
            if head.header("Transfer-Encoding")?.lowercased().contains("chunked") == true,
                response.count - bodyStart >= 5, response.suffix(5).elementsEqual("0\r\n\r\n".utf8)
            {
                break
            }
        }
        return try parse(response)
    }

    /// Where the blank line after the headers starts, or nil before it has arrived.
    private static func headEnd(_ response: [UInt8]) -> Int? {
        guard response.count >= 4 else { return nil }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        return (0...(response.count - 4)).first { response[$0..<$0 + 4].elementsEqual(separator) }
    }

    private static func sendAll(_ fd: Int32, _ request: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .errno("send") }
            sent += count
        }
    }

    /// Splits a whole response into status, headers and body.
    static func parse(_ response: [UInt8]) throws(Failure) -> HTTPAnswer {
        guard !response.isEmpty else { throw Failure(reason: "connection closed without an answer") }
        guard let headEnd = headEnd(response) else {
            let start = String(decoding: response.prefix(60), as: UTF8.self)
            throw Failure(reason: "answer ends before its headers do: '\(start)'")
        }
        let lines = String(decoding: response[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let words = lines[0].split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("HTTP/1."), let status = Int(words[1]) else {
            throw Failure(reason: "answer is not HTTP/1.x: '\(lines[0].prefix(60))'")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw Failure(reason: "malformed header line '\(line.prefix(60))'")
            }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append(
                (String(line[..<colon]), String(value.reversed().drop { $0 == " " || $0 == "\t" }.reversed())))
        }
        return HTTPAnswer(status: status, headers: headers, body: Array(response[(headEnd + 4)...]))
    }
}
