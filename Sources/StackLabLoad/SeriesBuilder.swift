import StackLabCore

/// Turns the workers' per-second pieces into the per-second series.
enum SeriesBuilder {
    struct Merged {
        var requests = 0
        var errors = 0
        var p50 = 0.0
        var p99 = 0.0
    }

    static func merge(_ parts: [WorkerTally.Second]) -> Merged {
        guard var histogram = parts.first?.histogram else { return Merged() }
        for part in parts.dropFirst() { histogram.add(part.histogram) }
        let empty = histogram.totalCount == 0
        return Merged(
            requests: parts.reduce(0) { $0 + $1.requests }, errors: parts.reduce(0) { $0 + $1.errors },
            p50: empty ? 0 : Double(histogram.valueAtPercentile(50)),
            p99: empty ? 0 : Double(histogram.valueAtPercentile(99)))
    }

    /// One sample per second of the measured window, empty seconds included.
    static func series(_ parts: [WorkerTally.Second], measuredSeconds: Double) -> [LoadResult.SecondSample] {
        let count = Int(measuredSeconds.rounded(.up))
        var bySecond = [[WorkerTally.Second]](repeating: [], count: max(count, (parts.map(\.second).max() ?? -1) + 1))
        for part in parts { bySecond[part.second].append(part) }
        return bySecond.enumerated().map { second, pieces in
            let merged = merge(pieces)
            return .init(
                second: second + 1, requests: merged.requests, p50: merged.p50, p99: merged.p99, errors: merged.errors)
        }
    }
}
