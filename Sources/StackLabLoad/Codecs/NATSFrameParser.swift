/// The server's half of the NATS client protocol, read from a connection's byte stream: `INFO`, `MSG`, `HMSG`,
/// `PING`, `PONG`, `+OK` and `-ERR`. A value, one per connection, tested on byte strings; a frame may arrive in
/// any number of pieces.
///
/// A message's payload is not kept: its size, and its first ``MessageStamp/size`` bytes (after any headers,
/// ``head``), which is all a messaging run reads of it; with ``capturesPayloads`` (JetStream's API replies) the
/// whole payload is kept in ``payload`` until the next message.
struct NATSFrameParser {
    enum Frame: Equatable {
        case info(String)
        case ping
        case pong
        case ok
        case error(String)
        /// A delivered message: its subscription id, reply subject, header and payload sizes, and its stamp.
        case message(sid: Int, replyTo: String?, headerBytes: Int, payloadBytes: Int, stamp: MessageStamp?)
    }

    struct ProtocolError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The longest control line taken (an `INFO` is a few hundred bytes).
    static let maximumLine = 64 * 1_024

    private enum State {
        case line
        /// In a message: header bytes to skip, payload bytes left, then the CRLF after it.
        case body(headersLeft: Int, payloadLeft: Int, trailerLeft: Int)
    }

    private var state = State.line
    private var line: [UInt8] = []
    /// Where the words of the control line are, reused line after line.
    private var words: [Range<Int>] = []
    /// The first ``MessageStamp/size`` bytes of the last message's payload.
    private(set) var head: [UInt8] = []
    /// Keep each message's whole payload in ``payload`` (at most ``maximumLine`` bytes).
    var capturesPayloads = false
    private(set) var payload: [UInt8] = []
    private var pending: (sid: Int, replyTo: String?, headerBytes: Int, payloadBytes: Int)?

    init() {
        line.reserveCapacity(256)
        words.reserveCapacity(8)
        head.reserveCapacity(MessageStamp.size)
    }

    /// True between frames.
    var isIdle: Bool {
        if case .line = state { return line.isEmpty }
        return false
    }

    /// Reads from `offset` up to the end of the first complete frame: the bytes consumed and the frame, or every
    /// byte and nil when no frame completes in them (the parser keeps its place for the next bytes).
    mutating func next(_ bytes: UnsafeRawBufferPointer, from offset: Int) throws -> (consumed: Int, frame: Frame?) {
        var index = offset
        while index < bytes.count {
            switch state {
            case .line:
                guard let end = Self.find(10, in: bytes, from: index) else {
                    line.append(contentsOf: bytes[index...])
                    if line.count > Self.maximumLine { throw ProtocolError(description: "a control line too long") }
                    return (bytes.count - offset, nil)
                }
                line.append(contentsOf: bytes[index..<end])
                index = end + 1
                if line.last == 13 { line.removeLast() }
                defer { line.removeAll(keepingCapacity: true) }
                if let frame = try controlLine() { return (index - offset, frame) }
            case .body(var headersLeft, var payloadLeft, var trailerLeft):
                if headersLeft > 0 {
                    let step = min(headersLeft, bytes.count - index)
                    headersLeft -= step
                    index += step
                } else if payloadLeft > 0 {
                    let step = min(payloadLeft, bytes.count - index)
                    let wanted = min(MessageStamp.size - head.count, step)
                    if wanted > 0 { head.append(contentsOf: bytes[index..<index + wanted]) }
                    if capturesPayloads {
                        let kept = min(Self.maximumLine - payload.count, step)
                        if kept > 0 { payload.append(contentsOf: bytes[index..<index + kept]) }
                    }
                    payloadLeft -= step
                    index += step
                } else {
                    let expected: UInt8 = trailerLeft == 2 ? 13 : 10
                    guard bytes[index] == expected else {
                        throw ProtocolError(description: "a message's payload not followed by CRLF")
                    }
                    trailerLeft -= 1
                    index += 1
                }
                state = .body(headersLeft: headersLeft, payloadLeft: payloadLeft, trailerLeft: trailerLeft)
                if headersLeft == 0 && payloadLeft == 0 && trailerLeft == 0, let message = pending {
                    state = .line
                    pending = nil
                    let stamp = head.withUnsafeBytes { MessageStamp($0) }
                    return (
                        index - offset,
                        .message(
                            sid: message.sid, replyTo: message.replyTo, headerBytes: message.headerBytes,
                            payloadBytes: message.payloadBytes, stamp: stamp)
                    )
                }
            }
        }
        return (index - offset, nil)
    }

    /// The frame a complete control line is, or nil when a message body follows it. A `MSG` line (one per
    /// delivered message) is read in place: no allocation but its reply subject's.
    private mutating func controlLine() throws -> Frame? {
        words.removeAll(keepingCapacity: true)
        var index = 0
        while index < line.count && words.count < 7 {
            while index < line.count && (line[index] == 32 || line[index] == 9) { index += 1 }
            guard index < line.count else { break }
            let start = index
            while index < line.count && line[index] != 32 && line[index] != 9 { index += 1 }
            words.append(start..<index)
        }
        guard let first = words.first else { throw ProtocolError(description: "an empty control line") }
        if isWord(first, "MSG") || isWord(first, "HMSG") {
            let headers = first.count == 4
            let sizes = headers ? 2 : 1
            let count = words.count - 1
            guard count == 2 + sizes || count == 3 + sizes, let sid = number(words[2]),
                let last = number(words[words.count - 1])
            else { throw ProtocolError(description: "a malformed \(headers ? "HMSG" : "MSG") line") }
            let headerBytes = headers ? number(words[words.count - 2]) ?? -1 : 0
            guard headerBytes >= 0, headerBytes <= last else {
                throw ProtocolError(description: "a malformed \(headers ? "HMSG" : "MSG") line")
            }
            let replyTo = count == 3 + sizes ? String(decoding: line[words[3]], as: UTF8.self) : nil
            pending = (sid, replyTo, headerBytes, last - headerBytes)
            head.removeAll(keepingCapacity: true)
            payload.removeAll(keepingCapacity: true)
            state = .body(headersLeft: headerBytes, payloadLeft: last - headerBytes, trailerLeft: 2)
            return nil
        }
        if isWord(first, "PING") { return .ping }
        if isWord(first, "PONG") { return .pong }
        if isWord(first, "+OK") { return .ok }
        if isWord(first, "-ERR") { return .error(rest().trimmingQuotes) }
        if isWord(first, "INFO") { return .info(rest()) }
        let operation = String(decoding: line[first].prefix(20), as: UTF8.self)
        throw ProtocolError(description: "an unknown operation \(operation.uppercased())")
    }

    /// Whether the line's `range` is `word` (upper case), in any case.
    private func isWord(_ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            for offset in 0..<range.count {
                var byte = line[range.lowerBound + offset]
                if byte >= 97 && byte <= 122 { byte -= 32 }
                if byte != expected[offset] { return false }
            }
            return true
        }
    }

    /// The decimal number the line's `range` holds; nil for anything else (or more than 18 digits).
    private func number(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = Int(line[index]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// The control line after its operation and the blanks that follow it.
    private func rest() -> String {
        String(decoding: line.drop { $0 != 32 && $0 != 9 }.drop { $0 == 32 || $0 == 9 }, as: UTF8.self)
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}

extension String {
    /// `'Authorization Violation'` without its quotes.
    fileprivate var trimmingQuotes: String {
        var text = Substring(self)
        if text.hasPrefix("'") && text.hasSuffix("'") && text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
