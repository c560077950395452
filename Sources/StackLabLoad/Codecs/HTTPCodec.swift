import NIOCore

/// HTTP/1.1 as the load engine speaks it: the options' requests, encoded once and sent in their weighted cycle.
struct HTTPCodec: WireCodec {
    private let requests: [ByteBuffer]
    private let noBody: [Bool]
    private let cycle: [Int]
    private var position: Int
    private let checksQueryStatus: Bool

    init(options: LoadOptions, workerIndex: Int) {
        let allocator = ByteBufferAllocator()
        requests = options.requests.map { options.encoded($0, allocator: allocator) }
        noBody = options.requests.map { $0.method == "HEAD" }
        cycle = options.requestCycle()
        position = workerIndex % max(cycle.count, 1)
        checksQueryStatus = options.checksQueryStatus
    }

    /// The encoded request is shared, not copied, when nothing else waits to be written.
    mutating func writeRequest(into out: inout ByteBuffer) -> (bytes: Int, expectation: Bool) {
        let kind = cycle[position]
        position = position + 1 == cycle.count ? 0 : position + 1
        if out.readableBytes == 0 {
            out = requests[kind]
        } else {
            out.writeImmutableBuffer(requests[kind])
        }
        return (requests[kind].readableBytes, noBody[kind])
    }

    func makeParser() -> HTTPResponseParser {
        var parser = HTTPResponseParser()
        parser.checksQueryStatus = checksQueryStatus
        return parser
    }
}

extension HTTPResponseParser: ReplyParser {
    /// Whether the request was a HEAD, whose response has no body.
    mutating func expect(_ expectation: Bool) {
        expectsNoBody = expectation
    }

    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (
        consumed: Int, reply: ParsedReply?
    ) {
        let step = try parse(bytes, from: offset)
        return (step.consumed, step.response.map { ParsedReply(outcome: $0.outcome, closeAfter: $0.closeAfter) })
    }

    mutating func replyAtClose() throws -> ParsedReply? {
        let response = try endOfInput()
        return response.map { ParsedReply(outcome: $0.outcome, closeAfter: true) }
    }
}

extension HTTPResponseParser.Response {
    /// A failed query is an error whatever its status; any other response is counted by its status.
    var outcome: ReplyOutcome { queryFailed ? .queryFailed(status: status) : .http(status: status) }
}
