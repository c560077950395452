/// Statistics across repeats: medians with bootstrap confidence intervals.
public enum Statistics {
    /// The median of `values`; nil when there are none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// A value with its confidence interval.
    public struct Estimate: Sendable, Equatable, Codable {
        public var value: Double
        public var low: Double
        public var high: Double

        public init(value: Double, low: Double, high: Double) {
            self.value = value
            self.low = low
            self.high = high
        }

        /// True when the two intervals do not overlap: only then is a difference called a difference.
        public func differs(from other: Estimate) -> Bool {
            high < other.low || other.high < low
        }
    }

    /// The median with a percentile-bootstrap confidence interval (`level`, default 95%).
    ///
    /// Resamples with replacement `resamples` times from a fixed seed, so the same values always give
    /// the same interval. With one value the interval is that value.
    public static func medianWithInterval(
        _ values: [Double], level: Double = 0.95, resamples: Int = 2_000, seed: UInt64 = 0x5EED
    ) -> Estimate? {
        guard let center = median(values) else { return nil }
        guard values.count > 1 else { return Estimate(value: center, low: center, high: center) }
        var generator = SplitMix64(seed: seed)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        var sample = [Double](repeating: 0, count: values.count)
        for _ in 0..<resamples {
            for index in sample.indices {
                sample[index] = values[Int(generator.next() % UInt64(values.count))]
            }
            medians.append(median(sample)!)
        }
        medians.sort()
        let tail = (1 - level) / 2
        let lowIndex = Int((tail * Double(resamples)).rounded(.down))
        let highIndex = min(resamples - 1, Int(((1 - tail) * Double(resamples)).rounded(.up)) - 1)
        return Estimate(value: center, low: medians[lowIndex], high: medians[highIndex])
    }
}

/// A small, fast, seedable generator (SplitMix64), so resampling is reproducible.
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
