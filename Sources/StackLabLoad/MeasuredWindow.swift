import NIOCore

/// The clock of one load run: warm-up from `start`, then the measured window from `windowStart` to `windowEnd`
/// (uptime nanoseconds), watched the same way whatever the protocol.
struct MeasuredWindow {
    let start: Int64
    let windowStart: Int64
    let windowEnd: Int64

    init(start: Int64, warmupNanoseconds: Int64, durationNanoseconds: Int64) {
        self.start = start
        self.windowStart = start + warmupNanoseconds
        self.windowEnd = windowStart + durationNanoseconds
    }

    /// What watching the window saw: when traffic is to stop, the series so far, whether the window opened.
    struct Watch {
        var stopTime: Int64
        var series: SeriesAccumulator
        var windowOpened: Bool
    }

    /// Sleeps in steps of at most `step` nanoseconds until the window closes or a stop is requested: collects the
    /// finished seconds with `poll`, calls `window(true)` when the window opens and `progress` once a second.
    func watch(
        step: Int64, stopRequested: () -> Bool, window: (Bool) -> Void, progress: (LoadProgress) -> Void,
        poll: () async throws -> [WorkerTally.Second]
    ) async throws -> Watch {
        var watch = Watch(stopTime: windowEnd, series: SeriesAccumulator(), windowOpened: false)
        var shownSecond = -1
        while true {
            let now = Self.now
            if !watch.windowOpened && now >= windowStart {
                watch.windowOpened = true
                window(true)
            }
            if now >= windowEnd { break }
            if stopRequested() {
                watch.stopTime = max(now, start)
                break
            }
            let nextEdge = watch.windowOpened ? windowEnd : windowStart
            try await Task.sleep(nanoseconds: UInt64(min(step, max(nextEdge - now, 1))))
            watch.series.add(try await poll())
            let current = Self.now
            let elapsed = Double(current - start) / 1e9
            let completeSecond = Int((current - windowStart) / 1_000_000_000) - 1
            // Pieces of a second come within a poll or two of its end; two seconds on, only its figures are kept.
            watch.series.close(before: completeSecond - 1)
            if completeSecond > shownSecond || (current < windowStart && Int(elapsed) > shownSecond + 1) {
                let latest = watch.series.merged(second: completeSecond)
                progress(
                    LoadProgress(
                        elapsed: elapsed, total: Double(windowEnd - start) / 1e9, inWarmup: current < windowStart,
                        rate: Double(latest.requests), p99: latest.p99, errors: latest.errors))
                shownSecond = max(shownSecond, completeSecond)
            }
        }
        return watch
    }

    static var now: Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }
}
