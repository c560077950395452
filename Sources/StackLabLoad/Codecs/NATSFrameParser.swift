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
    /// The first ``MessageStamp/size`` bytes of the last message's payload.
    private(set) var head: [UInt8] = []
    /// Keep each message's whole payload in ``payload`` (at most ``maximumLine`` bytes).
    var capturesPayloads = false
    private(set) var payload: [UInt8] = []
    private var pending: (sid: Int, replyTo: String?, headerBytes: Int, payloadBytes: Int)?

    init() {
        line.reserveCapacity(256)
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

    /// The frame a complete control line is, or nil when a message body follows it.
    private mutating func controlLine() throws -> Frame? {
        let words = line.split(whereSeparator: { $0 == 32 || $0 == 9 })
        guard let first = words.first else { throw ProtocolError(description: "an empty control line") }
        let operation = String(decoding: first, as: UTF8.self).uppercased()
        switch operation {
        case "PING": return .ping
        case "PONG": return .pong
        case "+OK": return .ok
        case "-ERR": return .error(rest().trimmingQuotes)
        case "INFO": return .info(rest())
        case "MSG", "HMSG":
            let headers = operation == "HMSG"
            let arguments = words.dropFirst().map { String(decoding: $0, as: UTF8.self) }
            let sizes = headers ? 2 : 1
            guard arguments.count == 2 + sizes || arguments.count == 3 + sizes, let sid = Int(arguments[1]),
                let last = Int(arguments[arguments.count - 1]), last >= 0
            else { throw ProtocolError(description: "a malformed \(operation) line") }
            let headerBytes = headers ? Int(arguments[arguments.count - 2]) ?? -1 : 0
            guard headerBytes >= 0, headerBytes <= last else {
                throw ProtocolError(description: "a malformed \(operation) line")
            }
            let replyTo = arguments.count == 3 + sizes ? arguments[2] : nil
            pending = (sid, replyTo, headerBytes, last - headerBytes)
            head.removeAll(keepingCapacity: true)
            payload.removeAll(keepingCapacity: true)
            state = .body(headersLeft: headerBytes, payloadLeft: last - headerBytes, trailerLeft: 2)
            return nil
        default:
            throw ProtocolError(description: "an unknown operation \(operation.prefix(20))")
        }
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
