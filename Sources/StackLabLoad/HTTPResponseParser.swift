#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 response parser that finds where each response ends, and nothing more.
///
/// The load engine needs the status, whether the server will close the connection, and the end of the
/// body (by `Content-Length`, chunked encoding, or the connection closing). It scans the bytes where
/// they lie, copying only a head line that a read split in two, so a response costs no allocation.
/// A value type, tested without a channel.
struct HTTPResponseParser {
    struct Response: Equatable {
        var status: Int
        /// The server said `Connection: close` or spoke HTTP/1.0 without keep-alive.
        var closeAfter: Bool
        /// With ``checksQueryStatus``: the body began `{"status":"error"`, a PromQL API's failed query.
        var queryFailed = false
    }

    struct MalformedResponse: Error, Equatable {
        var reason: String
    }

    private enum State {
        case statusLine
        case headerLine
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLine
        case untilClose
    }

    private var state = State.statusLine
    private var pendingLine: [UInt8] = []
    private var status = 0
    private var contentLength: Int?
    private var chunked = false
    private var closeAfter = false
    private var http10 = false

    /// Requests answered without a body (HEAD) must say so before the response is parsed.
    var expectsNoBody = false
    /// Whether a body that begins `{"status":"error"` (the Prometheus HTTP API's answer to a query that failed,
    /// whatever its status code) marks the response ``Response/queryFailed``.
    var checksQueryStatus = false
    /// Bytes of the body matched against `{"status":"error"` so far; -1 once one differed.
    private var queryStatusMatched = 0

    static let maxLineLength = 16 * 1024

    /// True between responses: no byte of a response has been seen.
    var isIdle: Bool {
        if case .statusLine = state { return pendingLine.isEmpty }
        return false
    }

    /// Parses from `offset` up to the end of the first complete response.
    ///
    /// - Returns: how many bytes were consumed and the response, if one was completed; call again from
    ///   `offset + consumed` while bytes remain.
    mutating func parse(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (consumed: Int, response: Response?) {
        var index = offset
        let end = bytes.count
        while index < end {
            switch state {
            case .statusLine, .headerLine, .trailerLine, .chunkSize:
                guard let newline = Self.find(UInt8(ascii: "\n"), in: bytes, from: index) else {
                    try appendPending(bytes, from: index, to: end)
                    return (end - offset, nil)
                }
                let completed: Response?
                if pendingLine.isEmpty {
                    completed = try line(UnsafeRawBufferPointer(rebasing: bytes[index..<newline]))
                } else {
                    try appendPending(bytes, from: index, to: newline)
                    let joined = pendingLine
                    pendingLine.removeAll(keepingCapacity: true)
                    completed = try joined.withUnsafeBytes { try line($0) }
                }
                index = newline + 1
                if let completed { return (index - offset, completed) }
            case .body(let remaining):
                let take = Swift.min(remaining, end - index)
                if checksQueryStatus { matchQueryStatus(bytes, from: index, count: take) }
                index += take
                if take == remaining { return (index - offset, finish()) }
                state = .body(remaining: remaining - take)
            case .chunkData(let remaining):
                let take = Swift.min(remaining, end - index)
                if checksQueryStatus { matchQueryStatus(bytes, from: index, count: take) }
                index += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                // The CRLF after a chunk's data: skip a CR, require the LF.
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\n") {
                    state = .chunkSize
                } else if byte != UInt8(ascii: "\r") {
                    throw MalformedResponse(reason: "chunk data not followed by CRLF")
                }
            case .untilClose:
                return (end - offset, nil)
            }
        }
        return (end - offset, nil)
    }

    /// The connection closed: completes a response whose body ran until the close.
    ///
    /// - Returns: the response, or nil when no response was under way.
    /// - Throws: when the close cut a response short.
    mutating func endOfInput() throws -> Response? {
        if case .untilClose = state { return finish() }
        if isIdle { return nil }
        throw MalformedResponse(reason: "connection closed before the response was complete")
    }

    private static var queryErrorPrefix: StaticString { "{\"status\":\"error\"" }

    /// Matches body bytes against `{"status":"error"` until they differ or it is whole.
    private mutating func matchQueryStatus(_ bytes: UnsafeRawBufferPointer, from index: Int, count: Int) {
        let prefix = Self.queryErrorPrefix
        var offset = 0
        while offset < count, queryStatusMatched >= 0, queryStatusMatched < prefix.utf8CodeUnitCount {
            queryStatusMatched =
                bytes[index + offset] == prefix.utf8Start[queryStatusMatched] ? queryStatusMatched + 1 : -1
            offset += 1
        }
    }

    private mutating func appendPending(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) throws {
        guard pendingLine.count + (to - from) <= Self.maxLineLength else {
            throw MalformedResponse(reason: "response head line longer than \(Self.maxLineLength) bytes")
        }
        pendingLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Handles one line without its LF; returns a response when the line ends one.
    private mutating func line(_ raw: UnsafeRawBufferPointer) throws -> Response? {
        var line = raw
        if let last = line.last, last == UInt8(ascii: "\r") { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        switch state {
        case .statusLine:
            try statusLine(line)
            return nil
        case .headerLine:
            if line.isEmpty { return endOfHead() }
            header(line)
            return nil
        case .chunkSize:
            let size = try Self.chunkSize(line)
            state = size == 0 ? .trailerLine : .chunkData(remaining: size)
            return nil
        case .trailerLine:
            return line.isEmpty ? finish() : nil
        default:
            preconditionFailure("line() called outside a line state")
        }
    }

    private mutating func statusLine(_ line: UnsafeRawBufferPointer) throws {
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        guard line.count >= 12, Self.startsWith(line, Self.httpPrefix), line[8] == UInt8(ascii: " ") else {
            throw MalformedResponse(reason: "not an HTTP/1.x status line")
        }
        var code = 0
        for position in 9..<12 {
            let digit = Int(line[position]) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit) else { throw MalformedResponse(reason: "status code is not a number") }
            code = code * 10 + digit
        }
        status = code
        queryStatusMatched = 0
        http10 = line[7] == UInt8(ascii: "0")
        closeAfter = http10
        contentLength = nil
        chunked = false
        state = .headerLine
    }

    // Static strings, not `[UInt8]` globals: a global array costs a `swift_once` on every read, seven per
    // response (about 60 instructions per request on raw sockets, `bench/callgrind.sh`).
    private static var httpPrefix: StaticString { "HTTP/1." }
    private static var contentLengthName: StaticString { "content-length" }
    private static var transferEncodingName: StaticString { "transfer-encoding" }
    private static var connectionName: StaticString { "connection" }

    private mutating func header(_ line: UnsafeRawBufferPointer) {
        // Only Content-Length, Connection and Transfer-Encoding matter: skip the rest on their first letter.
        guard let first = line.first, first | 0x20 == UInt8(ascii: "c") || first | 0x20 == UInt8(ascii: "t") else {
            return
        }
        guard let colon = Self.find(UInt8(ascii: ":"), in: line, from: 0) else { return }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        let value = Self.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
        switch name.count {
        case Self.contentLengthName.utf8CodeUnitCount where Self.equalsLowercased(name, Self.contentLengthName):
            var length = 0
            for byte in value {
                let digit = Int(byte) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return }
                length = length &* 10 &+ digit
            }
            contentLength = length
        case Self.transferEncodingName.utf8CodeUnitCount where Self.equalsLowercased(name, Self.transferEncodingName):
            chunked = Self.containsLowercased(value, "chunked")
        case Self.connectionName.utf8CodeUnitCount where Self.equalsLowercased(name, Self.connectionName):
            if Self.containsLowercased(value, "close") { closeAfter = true }
            if Self.containsLowercased(value, "keep-alive") { closeAfter = false }
        default:
            break
        }
    }

    private mutating func endOfHead() -> Response? {
        if (100..<200).contains(status) {
            // An interim response (100 Continue): the real one follows.
            state = .statusLine
            return nil
        }
        if expectsNoBody || status == 204 || status == 304 { return finish() }
        if chunked {
            state = .chunkSize
        } else if let contentLength {
            if contentLength == 0 { return finish() }
            state = .body(remaining: contentLength)
        } else {
            closeAfter = true
            state = .untilClose
        }
        return nil
    }

    private mutating func finish() -> Response {
        state = .statusLine
        let failed = checksQueryStatus && queryStatusMatched == Self.queryErrorPrefix.utf8CodeUnitCount
        return Response(status: status, closeAfter: closeAfter, queryFailed: failed)
    }

    private static func chunkSize(_ line: UnsafeRawBufferPointer) throws -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
            default:
                // A chunk extension (";name=value") or padding ends the size.
                guard digits > 0 else { throw MalformedResponse(reason: "chunk size is not hexadecimal") }
                return size
            }
            guard digits < 15 else { throw MalformedResponse(reason: "chunk size too large") }
            size = size * 16 + value
            digits += 1
        }
        guard digits > 0 else { throw MalformedResponse(reason: "empty chunk size") }
        return size
    }

    private static func trimmed(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = value.count
        while start < end && (value[start] == 0x20 || value[start] == 0x09) { start += 1 }
        while end > start && (value[end - 1] == 0x20 || value[end - 1] == 0x09) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: value[start..<end])
    }

    private static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let word = lowercase.utf8Start
        for index in 0..<bytes.count where bytes[index] | 0x20 != word[index] {
            return false
        }
        return true
    }

    private static func startsWith(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let word = prefix.utf8Start
        for index in 0..<prefix.utf8CodeUnitCount where bytes[index] != word[index] {
            return false
        }
        return true
    }

    private static func containsLowercased(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let needle = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count >= needle.count else { return false }
        outer: for start in 0...(bytes.count - needle.count) {
            for offset in 0..<needle.count where bytes[start + offset] | 0x20 != needle[offset] {
                continue outer
            }
            return true
        }
        return false
    }
}
