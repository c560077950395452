import StackLabCore

/// What one consumer received, whatever the broker: every stamped message is counted against its producer's
/// sequence numbers (a bit per sequence number, so duplicates and gaps are exact, merged across the consumers of a
/// subscription), order per producer, and end-to-end latency from the intended send time.
struct SubscriptionTally: Sendable {
    /// The sequence numbers seen of each producer, a bit each, and the highest seen.
    struct Seen: Sendable {
        var bits: [UInt64] = []
        var highest: UInt64 = 0

        /// Marks `sequence` (from 1); false when it was seen before.
        mutating func mark(_ sequence: UInt64) -> Bool {
            let index = Int(sequence - 1)
            let word = index >> 6
            if word >= bits.count {
                bits.append(contentsOf: repeatElement(0, count: max(word + 1 - bits.count, bits.count)))
            }
            let mask = UInt64(1) << UInt64(index & 63)
            defer { bits[word] |= mask }
            return bits[word] & mask == 0
        }

        /// Sequence numbers seen here or in `other`.
        mutating func formUnion(_ other: Seen) {
            if other.bits.count > bits.count {
                bits.append(contentsOf: repeatElement(0, count: other.bits.count - bits.count))
            }
            for index in other.bits.indices { bits[index] |= other.bits[index] }
            highest = max(highest, other.highest)
        }

        var unique: Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } }
    }

    var seen: [Seen]
    /// Messages delivered, duplicates included.
    var received = 0
    var outOfOrder = 0
    /// Messages delivered with no stamp of this run, or of a producer it does not have.
    var foreign = 0
    /// Delivered messages intended in the measured window, and their payload bytes.
    var receivedInWindow = 0
    var bytesInWindow = 0
    var endToEnd = LatencyHistogram.latency()
    var windowStart: Int64 = .max
    var windowEnd: Int64 = .max
    /// Connections that ended before the run did, and error lines from the broker.
    var disconnects = 0
    var brokerErrors = 0
    var lastError: String?

    init(producers: Int) {
        seen = Array(repeating: Seen(), count: producers)
    }

    /// Counts one delivered message of `bytes` payload bytes, read at `now` (uptime nanoseconds).
    mutating func record(_ stamp: MessageStamp?, bytes: Int, now: Int64) {
        received += 1
        guard let stamp, stamp.producer < seen.count, stamp.sequence > 0, stamp.sequence < UInt64(Int.max) else {
            foreign += 1
            return
        }
        _ = seen[stamp.producer].mark(stamp.sequence)
        if stamp.sequence < seen[stamp.producer].highest {
            outOfOrder += 1
        } else {
            seen[stamp.producer].highest = stamp.sequence
        }
        if stamp.intended >= windowStart && stamp.intended < windowEnd {
            receivedInWindow += 1
            bytesInWindow += bytes
            endToEnd.recordNanoseconds(now - stamp.intended)
        }
    }

    /// Adds another consumer's tally of the same subscription.
    mutating func merge(_ other: SubscriptionTally) {
        for index in seen.indices where index < other.seen.count { seen[index].formUnion(other.seen[index]) }
        received += other.received
        outOfOrder += other.outOfOrder
        foreign += other.foreign
        receivedInWindow += other.receivedInWindow
        bytesInWindow += other.bytesInWindow
        endToEnd.add(other.endToEnd)
        disconnects += other.disconnects
        brokerErrors += other.brokerErrors
        lastError = lastError ?? other.lastError
    }

    /// Distinct messages delivered of the producers in `producers`.
    func unique(of producers: some Sequence<Int>) -> Int {
        producers.reduce(0) { $0 + seen[$1].unique }
    }
}
