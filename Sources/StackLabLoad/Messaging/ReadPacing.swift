/// A consumer that handles at most `rate` messages per second (`consumer_rate`): it asks for its next read only
/// once the messages it has handled are due, so a backlog stays in the kernel and the broker.
struct ReadPacing {
    let rate: Double
    private var started: Int64 = 0
    /// A read is scheduled and not yet asked for.
    private var waiting = false

    init(rate: Double) {
        self.rate = rate
    }

    mutating func start(at now: Int64) {
        started = now
    }

    /// After a read: nil to read again at once; 0 when a read is already scheduled; else the nanoseconds until
    /// the next read (it is then scheduled: call ``resume()`` as it is asked for).
    mutating func delay(received: Int, now: Int64) -> Int64? {
        guard !waiting else { return 0 }
        let ahead = Double(received) - Double(now - started) / 1e9 * rate
        guard ahead > 0 else { return nil }
        waiting = true
        return max(1, Int64(ahead / rate * 1e9))
    }

    mutating func resume() {
        waiting = false
    }
}
