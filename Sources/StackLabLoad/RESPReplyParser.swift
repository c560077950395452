/// A RESP2 reply parser that finds where each reply ends and what kind it is, and nothing more.
///
/// The load engine needs to know when a reply is complete and whether it was a value, a nil or an error;
/// it never needs the value itself. The parser walks the bytes where they lie, keeps a number being read
/// across reads, and skips bulk payloads without copying, so a reply costs no allocation. Only an error
/// reply's text is kept (its first ``maxErrorLength`` bytes), for messages. A value type, tested without a
/// channel.
struct RESPReplyParser {
    /// One complete top-level reply.
    struct Reply: Equatable {
        enum Kind: Equatable {
            /// `+OK` and other simple strings.
            case simple
            /// `-ERR …`, `-WRONGPASS …`: the server refused the command.
            case error
            /// `:1000`.
            case integer
            /// `$5\r\nhello\r\n`.
            case bulk
            /// `$-1` or `*-1`: no such key.
            case null
            /// `*2\r\n…`, any depth; an array holding an error reply is still an array.
            case array
        }

        var kind: Kind
        /// The text of an error reply, as far as ``RESPReplyParser/maxErrorLength``; empty otherwise.
        var message: String = ""
    }

    struct MalformedReply: Error, Equatable {
        var reason: String
    }

    private enum State {
        /// Expecting the type byte of a reply or an array element.
        case type
        /// Inside a simple string, error, integer, bulk length or array count line.
        case line(UInt8)
        /// Inside a bulk payload and its closing CRLF.
        case bulkData(remaining: Int)
    }

    static let maxErrorLength = 256
    /// Deeper arrays than this are refused: no command the engine sends gets one.
    static let maxDepth = 8

    private var state = State.type
    private var number = 0
    private var negative = false
    private var digits = 0
    private var topKind = Reply.Kind.simple
    private var message: [UInt8] = []
    /// Elements still expected by each open array, innermost last.
    private var openArrays: [Int] = []

    init() {
        openArrays.reserveCapacity(Self.maxDepth)
    }

    /// True between replies: no byte of a reply has been seen.
    var isIdle: Bool {
        if case .type = state { return openArrays.isEmpty }
        return false
    }

    /// Parses from `offset` up to the end of the first complete reply.
    ///
    /// - Returns: how many bytes were consumed and the reply, if one was completed; call again from
    ///   `offset + consumed` while bytes remain.
    mutating func parse(_ bytes: UnsafeRawBufferPointer, from offset: Int) throws -> (consumed: Int, reply: Reply?) {
        var index = offset
        let end = bytes.count
        while index < end {
            switch state {
            case .type:
                let type = bytes[index]
                index += 1
                switch type {
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*"):
                    if openArrays.isEmpty { topKind = Self.kind(of: type) }
                    number = 0
                    negative = false
                    digits = 0
                    state = .line(type)
                default:
                    throw MalformedReply(reason: "unexpected reply type byte \(type)")
                }
            case .line(let type):
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\n") {
                    if let reply = try lineEnded(type) { return (index - offset, reply) }
                    continue
                }
                switch type {
                case UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: ":"):
                    if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                        guard digits < 18 else { throw MalformedReply(reason: "number too long") }
                        number = number * 10 + Int(byte - UInt8(ascii: "0"))
                        digits += 1
                    } else if byte == UInt8(ascii: "-") && digits == 0 && !negative {
                        negative = true
                    } else if byte != UInt8(ascii: "\r") {
                        throw MalformedReply(reason: "unexpected byte \(byte) in a number")
                    }
                case UInt8(ascii: "-"):
                    if openArrays.isEmpty && byte != UInt8(ascii: "\r") && message.count < Self.maxErrorLength {
                        message.append(byte)
                    }
                default:
                    break
                }
            case .bulkData(let remaining):
                let step = min(remaining, end - index)
                index += step
                if remaining - step > 0 {
                    state = .bulkData(remaining: remaining - step)
                } else {
                    state = .type
                    if let reply = elementEnded() { return (index - offset, reply) }
                }
            }
        }
        return (end - offset, nil)
    }

    private mutating func lineEnded(_ type: UInt8) throws -> Reply? {
        state = .type
        let value = negative ? -number : number
        switch type {
        case UInt8(ascii: "$"):
            guard digits > 0 else { throw MalformedReply(reason: "bulk reply without a length") }
            if value == -1 {
                if openArrays.isEmpty { topKind = .null }
                return elementEnded()
            }
            guard value >= 0 else { throw MalformedReply(reason: "bulk length \(value)") }
            state = .bulkData(remaining: value + 2)
            return nil
        case UInt8(ascii: "*"):
            guard digits > 0 else { throw MalformedReply(reason: "array reply without a count") }
            if value <= 0 {
                if value == -1 && openArrays.isEmpty { topKind = .null }
                return elementEnded()
            }
            guard openArrays.count < Self.maxDepth else { throw MalformedReply(reason: "arrays nested too deep") }
            openArrays.append(value)
            return nil
        default:
            return elementEnded()
        }
    }

    /// One element (or a whole reply) ended; closes every array it completes.
    private mutating func elementEnded() -> Reply? {
        while let last = openArrays.last {
            if last > 1 {
                openArrays[openArrays.count - 1] = last - 1
                return nil
            }
            openArrays.removeLast()
        }
        var reply = Reply(kind: topKind)
        if topKind == .error {
            reply.message = String(decoding: message, as: UTF8.self)
            message.removeAll(keepingCapacity: true)
        }
        return reply
    }

    private static func kind(of type: UInt8) -> Reply.Kind {
        switch type {
        case UInt8(ascii: "+"): .simple
        case UInt8(ascii: "-"): .error
        case UInt8(ascii: ":"): .integer
        case UInt8(ascii: "$"): .bulk
        default: .array
        }
    }
}
