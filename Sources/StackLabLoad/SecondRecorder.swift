import StackLabCore

/// Cuts one recorder's completions and errors into the seconds of the measured window.
///
/// Second `s` holds what finished between `windowStart + s` and `windowStart + s + 1`; what finishes after
/// the window (a request due inside it, answered during the drain) falls into the last second.
struct SecondRecorder {
    let windowStart: Int64
    let windowEnd: Int64
    private var current = -1
    private var histogram = LatencyHistogram.series()
    private var requests = 0
    private var errors = 0
    /// Seconds completed and not yet taken.
    private(set) var finished: [WorkerTally.Second] = []

    init(windowStart: Int64, windowEnd: Int64) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    mutating func record(latency: Int64, now: Int64) {
        advance(to: now)
        histogram.recordNanoseconds(latency)
        requests += 1
    }

    mutating func recordError(now: Int64) {
        guard now >= windowStart else { return }
        advance(to: now)
        errors += 1
    }

    /// Closes the current second when `now` is past it, so that it can be taken.
    mutating func advance(to now: Int64) {
        let last = Int(max(0, windowEnd - windowStart - 1) / 1_000_000_000)
        let second = min(Int(max(0, now - windowStart) / 1_000_000_000), last)
        if second != current {
            flush()
            current = second
        }
    }

    /// Hands over the seconds completed by `now`, the last one too once the window has closed (what finishes
    /// later is handed over as another piece of that second).
    mutating func take(upTo now: Int64) -> [WorkerTally.Second] {
        if now >= windowEnd {
            flush()
        } else if now >= windowStart {
            advance(to: now)
        }
        return take()
    }

    /// Hands over the completed seconds.
    mutating func take() -> [WorkerTally.Second] {
        defer { finished = [] }
        return finished
    }

    /// Closes the current second whatever the time (the run is over).
    mutating func flush() {
        guard current >= 0, requests > 0 || errors > 0 else { return }
        finished.append(.init(second: current, histogram: histogram, requests: requests, errors: errors))
        histogram.reset()
        requests = 0
        errors = 0
    }
}
