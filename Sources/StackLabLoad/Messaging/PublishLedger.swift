/// How many messages each producer of one worker has sent: the last sequence number it stamped.
///
/// Written by the worker's codec on its event loop and read, once the run is over, on the same loop; the
/// accounting's base (a message sent and never delivered is lost).
final class PublishLedger: @unchecked Sendable {
    /// The first producer's number: the worker's producers are `first`, `first + 1`, …
    let first: Int
    private(set) var sent: [UInt64]

    init(first: Int, producers: Int) {
        self.first = first
        self.sent = Array(repeating: 0, count: producers)
    }

    /// The next sequence number of the worker's `local`-th producer, counted as sent.
    func next(_ local: Int) -> UInt64 {
        sent[local] += 1
        return sent[local]
    }
}
