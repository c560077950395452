/// A latency histogram in a compact, lossless form for storage: the recorded values and their counts.
///
/// Decoding gives back a histogram with the same counts in the same buckets, so percentiles can be
/// recomputed and histograms of several trials merged long after the run (`LatencyHistogram.add(_:)`).
public struct EncodedHistogram: Sendable, Equatable, Codable {
    /// The highest value of each non-empty bucket, ascending, in microseconds.
    public var values: [UInt64]
    /// The count recorded in the bucket of the value at the same index.
    public var counts: [UInt64]

    public init(values: [UInt64], counts: [UInt64]) {
        precondition(values.count == counts.count, "one count per value")
        self.values = values
        self.counts = counts
    }

    /// Encodes every non-empty bucket of `histogram`.
    public init(_ histogram: LatencyHistogram) {
        var values: [UInt64] = []
        var counts: [UInt64] = []
        for bucket in histogram.recordedValues() {
            values.append(bucket.value)
            counts.append(bucket.count)
        }
        self.init(values: values, counts: counts)
    }

    /// The number of values recorded.
    public var totalCount: UInt64 { counts.reduce(0, +) }

    /// A latency histogram (1 µs to 1 h, 3 significant digits) holding these counts.
    public func decoded() -> LatencyHistogram {
        var histogram = LatencyHistogram.latency()
        for (value, count) in zip(values, counts) {
            _ = histogram.record(Swift.min(value, LatencyHistogram.latencyCeilingMicros), count: count)
        }
        return histogram
    }
}
