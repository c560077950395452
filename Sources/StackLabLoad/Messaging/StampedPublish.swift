import NIOCore
import StackLabCore

/// What every messaging producer's codec writes the same way, whatever the broker (``NATSCodec``, ``MQTTCodec``,
/// ``AMQPCodec``): the message's number from its producer's ``PublishLedger``, its topic, and its payload, the
/// ``MessageStamp`` at its head and filler to the workload's message size. The protocol's bytes go around it.
struct StampedPublish {
    let ledger: PublishLedger
    let topicCount: Int
    /// The payload after the stamp.
    private let filler: [UInt8]

    /// One message being written: its topic, its stamp and where its bytes start in the connection's buffer.
    struct Message {
        var topic: Int
        var stamp: MessageStamp
        var start: Int
    }

    init(messaging: Workload.Messaging, ledger: PublishLedger) {
        self.ledger = ledger
        self.topicCount = messaging.topics
        filler = Array(repeating: UInt8(ascii: "x"), count: messaging.messageSize - MessageStamp.size)
    }

    /// The payload's size: the stamp and the filler.
    var payloadSize: Int { MessageStamp.size + filler.count }

    /// Starts the next message of the producer on `connection` (the worker's producers are its connections): a
    /// buffer already written out is reused from its start, the message is numbered, its send time is `due`.
    func begin(_ out: inout ByteBuffer, connection: Int, due: Int64) -> Message {
        if out.readableBytes == 0 { out.clear() }
        let producer = ledger.first + connection
        return Message(
            topic: MessagingPlan.topic(ofProducer: producer, topics: topicCount),
            stamp: MessageStamp(producer: producer, sequence: ledger.next(connection), intended: due),
            start: out.writerIndex)
    }

    /// Appends the payload's bytes `range` (all of it by default): a broker that cuts a payload into frames
    /// (AMQP) writes each piece after its frame header. The stamp is never cut: a piece that starts the payload
    /// holds at least the stamp.
    func writePayload(into out: inout ByteBuffer, _ message: Message, range: Range<Int>? = nil) {
        let range = range ?? 0..<payloadSize
        var start = range.lowerBound
        if start == 0 {
            message.stamp.write(into: &out)
            start = MessageStamp.size
        }
        guard range.upperBound > start else { return }
        _ = filler.withUnsafeBytes { bytes in
            out.writeBytes(
                UnsafeRawBufferPointer(
                    rebasing: bytes[(start - MessageStamp.size)..<(range.upperBound - MessageStamp.size)]))
        }
    }

    /// The message's size on the wire once written, what a codec's `writeRequest` returns.
    func finish(_ out: ByteBuffer, _ message: Message) -> (bytes: Int, expectation: Void) {
        (out.writerIndex - message.start, ())
    }
}
