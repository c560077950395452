import StackLabCore

/// What one worker measured; merged with the other workers' when the run ends.
struct WorkerTally: Sendable {
    struct Second: Sendable {
        var second: Int
        var histogram: LatencyHistogram
        var requests: Int
        var errors: Int
    }

    var latency = LatencyHistogram.latency()
    var serviceTime = LatencyHistogram.latency()
    var sendLag = LatencyHistogram.latency()
    var errors = LoadResult.ErrorCounts()
    /// Responses to requests due in the measured window.
    var completed = 0
    /// Responses in all phases, warm-up included: the divisor of client CPU per request.
    var completedAll = 0
    var unsent = 0
    /// Requests due in the measured window that were sent (or, for SQL, taken up by a connection).
    var attempted = 0
    /// Requests due in the measured window still in flight when the run closed their connections.
    var abandoned = 0
    /// Replies read in the measured window to requests due before it (a warm-up backlog).
    var earlierReplies = 0
    var queued = 0
    var bytesSent = 0
    /// Bytes received from the start of the measured window on.
    var bytesReceived = 0
    var established = 0
    /// Replies by outcome: HTTP status, RESP kind.
    var outcomes = OutcomeCounts()
    var seconds: [Second] = []

    /// What a worker hands over when the run ends: this tally with the series' last pieces from `seconds`.
    func handedOver(with seconds: inout SecondRecorder) -> WorkerTally {
        seconds.flush()
        var result = self
        result.seconds = seconds.take()
        return result
    }

    mutating func merge(_ other: WorkerTally) {
        latency.add(other.latency)
        serviceTime.add(other.serviceTime)
        sendLag.add(other.sendLag)
        errors = errors + other.errors
        completed += other.completed
        completedAll += other.completedAll
        unsent += other.unsent
        attempted += other.attempted
        abandoned += other.abandoned
        earlierReplies += other.earlierReplies
        queued += other.queued
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        established += other.established
        outcomes.merge(other.outcomes)
        seconds += other.seconds
    }
}

extension LatencyHistogram {
    /// A histogram for one second of the series: two significant digits keep it small.
    static func series() -> LatencyHistogram {
        LatencyHistogram(
            lowestDiscernibleValue: 1, highestTrackableValue: latencyCeilingMicros, numberOfSignificantValueDigits: .two
        )
    }
}
