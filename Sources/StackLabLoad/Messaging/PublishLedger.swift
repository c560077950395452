/// How many messages each producer of one worker has sent: the last sequence number it stamped; and how long the
/// broker held its publishes back (RabbitMQ's `Connection.Blocked`, flow control under a memory or disk alarm).
///
/// Written by the worker's codec and parser on its event loop and read, once the run is over, on the same loop;
/// the accounting's base (a message sent and never delivered is lost).
final class PublishLedger: @unchecked Sendable {
    /// The first producer's number: the worker's producers are `first`, `first + 1`, …
    let first: Int
    private(set) var sent: [UInt64]
    /// Times the broker said it stopped reading publishes, the reason it gave first, and for how long in all
    /// (uptime nanoseconds; a block still on at the end counts until ``blockedNanoseconds(until:)``'s time).
    private(set) var blocks = 0
    private(set) var blockReason: String?
    private var blockedTotal: Int64 = 0
    private var blockedSince: Int64?

    init(first: Int, producers: Int) {
        self.first = first
        self.sent = Array(repeating: 0, count: producers)
    }

    /// The next sequence number of the worker's `local`-th producer, counted as sent.
    func next(_ local: Int) -> UInt64 {
        sent[local] += 1
        return sent[local]
    }

    /// The broker stopped reading publishes at `now`: the producer's in-flight window fills and it waits, its
    /// unsent messages show as publish delay, none piles up in this process.
    func block(reason: String, at now: Int64) {
        guard blockedSince == nil else { return }
        blocks += 1
        blockReason = blockReason ?? reason
        blockedSince = now
    }

    /// The broker reads publishes again.
    func unblock(at now: Int64) {
        guard let since = blockedSince else { return }
        blockedTotal += now - since
        blockedSince = nil
    }

    /// Nanoseconds blocked up to `now`.
    func blockedNanoseconds(until now: Int64) -> Int64 {
        blockedTotal + (blockedSince.map { now - $0 } ?? 0)
    }
}
