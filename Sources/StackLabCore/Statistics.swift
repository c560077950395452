import Foundation

/// Statistics across trials (the unit of replication): medians with distribution-free intervals whose
/// coverage is known at the number of trials there are, and an exact test for differences.
public enum Statistics {
    /// The median of `values`; nil when there are none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// A value with its interval.
    ///
    /// With a `confidence`, `low...high` is an interval that holds the true value with at least that
    /// probability. Without one there were too few trials for an interval: `low...high` is then the range of the
    /// values (several trials), or the value itself (one trial, or a difference with too few trials).
    public struct Estimate: Sendable, Equatable, Codable {
        public var value: Double
        public var low: Double
        public var high: Double
        /// The interval's achieved confidence (0.9375 for the median of 5 trials); nil when it is no interval.
        /// Absent from results written before it was added.
        public var confidence: Double?

        public init(value: Double, low: Double, high: Double, confidence: Double? = nil) {
            self.value = value
            self.low = low
            self.high = high
            self.confidence = confidence
        }

        /// True when `low...high` is an interval with a known confidence, not a range or a single value.
        public var isInterval: Bool { confidence != nil }
    }

    /// The smallest confidence an interval of the median is shown with; below it only the range is.
    public static let minimumIntervalConfidence = 0.90

    /// The median with its order-statistic interval: `[x(k), x(n+1−k)]` of the sorted values, for the largest
    /// `k` whose confidence is at least `level`, and with that confidence.
    ///
    /// The interval is distribution-free: for any continuous distribution it holds the true median with
    /// probability 1 − 2·P(Binomial(n, ½) < k). Five trials give [min, max] at 93.8%, six at 96.9%, ten
    /// [x(2), x(9)] at 97.9%. Where even [min, max] holds less than ``minimumIntervalConfidence`` (fewer than
    /// five trials) the estimate has no confidence and `low...high` is the range; one trial gives the value.
    public static func medianWithInterval(_ values: [Double], level: Double = 0.95) -> Estimate? {
        guard let center = median(values) else { return nil }
        let sorted = values.sorted()
        guard let interval = medianIntervalRank(count: sorted.count, level: level) else {
            return Estimate(value: center, low: sorted.first!, high: sorted.last!)
        }
        return Estimate(
            value: center, low: sorted[interval.rank - 1], high: sorted[sorted.count - interval.rank],
            confidence: interval.confidence)
    }

    /// The rank `k` (1-based) of the order-statistic interval of the median of `count` values and its
    /// confidence: the largest `k` reaching `level`, else `k` = 1 when it reaches ``minimumIntervalConfidence``,
    /// else nil.
    public static func medianIntervalRank(count: Int, level: Double = 0.95) -> (rank: Int, confidence: Double)? {
        guard count >= 2 else { return nil }
        var best: (rank: Int, confidence: Double)?
        var below = 0.0  // P(Binomial(count, ½) ≤ k − 1)
        for rank in 1...(count + 1) / 2 {
            below += binomialHalf(count, rank - 1)
            let confidence = 1 - 2 * below
            if confidence >= level {
                best = (rank, confidence)
            } else {
                if best == nil, rank == 1, confidence >= minimumIntervalConfidence { best = (rank, confidence) }
                break
            }
        }
        return best
    }

    /// P(Binomial(n, ½) = k).
    static func binomialHalf(_ n: Int, _ k: Int) -> Double {
        let logChoose = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        return exp(logChoose - Double(n) * log(2.0))
    }
}

/// A small, fast, seedable generator (SplitMix64), so simulations are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
