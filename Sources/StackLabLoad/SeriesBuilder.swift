import StackLabCore

/// Turns the workers' per-second pieces into the per-second series.
enum SeriesBuilder {
    struct Merged: Equatable, Sendable {
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
}

/// The per-second series while a run goes on, in memory that does not grow with the run's length.
///
/// Workers hand over each second in pieces (one per worker, sometimes a late one for what finished during
/// the drain). A second's pieces are merged into one histogram as they come; once the run is well past it,
/// ``close(before:)`` keeps only its figures and lets the histogram go. A piece that comes after its second
/// was closed still adds its requests and errors; the second's percentiles stay those already computed.
struct SeriesAccumulator: Sendable {
    private var open: [Int: WorkerTally.Second] = [:]
    private var closed: [Int: SeriesBuilder.Merged] = [:]

    mutating func add(_ pieces: [WorkerTally.Second]) {
        for piece in pieces {
            if var merged = open[piece.second] {
                merged.histogram.add(piece.histogram)
                merged.requests += piece.requests
                merged.errors += piece.errors
                open[piece.second] = merged
            } else if closed[piece.second] != nil {
                closed[piece.second]!.requests += piece.requests
                closed[piece.second]!.errors += piece.errors
            } else {
                open[piece.second] = piece
            }
        }
    }

    /// Keeps only the figures of the seconds before `second`.
    mutating func close(before second: Int) {
        for (index, piece) in open where index < second {
            closed[index] = SeriesBuilder.merge([piece])
            open[index] = nil
        }
    }

    /// The figures of one second so far.
    func merged(second: Int) -> SeriesBuilder.Merged {
        if let piece = open[second] { return SeriesBuilder.merge([piece]) }
        return closed[second] ?? SeriesBuilder.Merged()
    }

    /// One sample per second of the measured window, empty seconds included.
    func series(measuredSeconds: Double) -> [LoadResult.SecondSample] {
        let last = max(open.keys.max() ?? -1, closed.keys.max() ?? -1)
        let count = max(Int(measuredSeconds.rounded(.up)), last + 1)
        return (0..<count).map { second in
            let figures = merged(second: second)
            return .init(
                second: second + 1, requests: figures.requests, p50: figures.p50, p99: figures.p99,
                errors: figures.errors)
        }
    }
}
