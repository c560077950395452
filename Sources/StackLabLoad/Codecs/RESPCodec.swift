import NIOCore
import StackLabCore

/// RESP (Redis) as the load engine speaks it: YCSB reads (`GET`) and updates (`SET`) of keys chosen with YCSB's
/// scrambled zipfian distribution, after an `AUTH` when the target has a password.
struct RESPCodec: WireCodec {
    private let writer: RESPCommandWriter
    private let keys: ScrambledZipfianGenerator
    private var random: SplitMix64
    private let readProportion: Double
    private let password: String?

    init(options: LoadOptions, workerIndex: Int, seed: UInt64) {
        let keyValue = options.keyValue ?? Workload.KeyValue()
        writer = RESPCommandWriter(valueSize: keyValue.valueSize)
        keys = ScrambledZipfianGenerator(records: keyValue.records)
        random = SplitMix64(seed: seed &+ UInt64(workerIndex) &* 0x9E37_79B9_7F4A_7C15)
        readProportion = keyValue.mix.readProportion
        password = options.target.password
    }

    mutating func writeRequest(into out: inout ByteBuffer) -> (bytes: Int, expectation: Void) {
        // Once the socket has taken the bytes the buffer's storage is unique again: clearing reuses it.
        if out.readableBytes == 0 { out.clear() }
        let record = keys.next(using: &random)
        if readProportion >= 1 || random.nextUnit() < readProportion {
            return (writer.writeGet(record: record, into: &out), ())
        }
        return (writer.writeSet(record: record, into: &out), ())
    }

    func makeParser() -> RESPReplyParser { RESPReplyParser() }

    func writeGreeting(into out: inout ByteBuffer) -> Bool {
        guard let password else { return false }
        RESPCommandWriter.write(["AUTH", password], into: &out)
        return true
    }
}

extension RESPReplyParser: ReplyParser {
    typealias Expectation = Void

    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (
        consumed: Int, reply: ParsedReply?
    ) {
        let step = try parse(bytes, from: offset)
        return (step.consumed, step.reply.map { ParsedReply(outcome: .resp(RESPOutcome($0.kind))) })
    }

    /// A reply cut by the close is no reply.
    mutating func replyAtClose() throws -> ParsedReply? { nil }
}

extension RESPOutcome {
    init(_ kind: RESPReplyParser.Reply.Kind) {
        switch kind {
        case .simple: self = .ok
        case .null: self = .null
        case .error: self = .error
        case .bulk, .integer, .array: self = .value
        }
    }
}
