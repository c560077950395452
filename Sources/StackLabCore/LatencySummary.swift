import Histogram

/// Percentiles of a latency distribution, in microseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var mean: Double
    public var p50: Double
    public var p75: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double
    public var p9999: Double
    public var max: Double

    enum CodingKeys: String, CodingKey {
        case count, min, mean, p50, p75, p90, p95, p99
        case p999 = "p99.9"
        case p9999 = "p99.99"
        case max
    }

    public init(
        count: Int, min: Double, mean: Double, p50: Double, p75: Double, p90: Double, p95: Double, p99: Double,
        p999: Double, p9999: Double, max: Double
    ) {
        self.count = count
        self.min = min
        self.mean = mean
        self.p50 = p50
        self.p75 = p75
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
        self.p9999 = p9999
        self.max = max
    }

    /// Summarises a histogram of microsecond values; an empty histogram gives all zeros.
    public init(_ histogram: LatencyHistogram) {
        guard histogram.totalCount > 0 else {
            self.init(count: 0, min: 0, mean: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, p9999: 0, max: 0)
            return
        }
        func at(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) }
        self.init(
            count: Int(histogram.totalCount), min: Double(histogram.min), mean: histogram.mean,
            p50: at(50), p75: at(75), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), p9999: at(99.99),
            max: Double(histogram.max))
    }

    /// The percentiles in display order with their labels.
    public var labelled: [(label: String, micros: Double)] {
        [
            ("p50", p50), ("p75", p75), ("p90", p90), ("p95", p95), ("p99", p99), ("p99.9", p999),
            ("p99.99", p9999), ("max", max),
        ]
    }
}

/// A latency histogram in microseconds: 1 µs resolution, 3 significant digits, up to one hour.
public typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    /// The largest latency kept, in microseconds; larger values are recorded as this value.
    public static var latencyCeilingMicros: UInt64 { 3_600_000_000 }

    /// An empty latency histogram (1 µs to 1 h, 3 significant digits).
    public static func latency() -> LatencyHistogram {
        LatencyHistogram(
            lowestDiscernibleValue: 1, highestTrackableValue: latencyCeilingMicros,
            numberOfSignificantValueDigits: .three)
    }

    /// Records a duration given in nanoseconds, rounded to microseconds and clamped to the ceiling.
    @inlinable
    public mutating func recordNanoseconds(_ nanoseconds: Int64) {
        let micros = nanoseconds <= 0 ? 0 : UInt64((nanoseconds + 500) / 1_000)
        _ = record(Swift.min(micros, Self.latencyCeilingMicros))
    }
}
