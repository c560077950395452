extension Statistics {
    /// Two groups of trials compared: the difference of their medians with its interval, and the exact test.
    public struct Difference: Sendable, Equatable {
        /// Median of the values minus median of the baseline, with the interval of the shift between the
        /// groups (``differenceOfMedians(_:minus:level:)``).
        public var estimate: Estimate
        public var test: ShiftTest

        /// `larger`, `smaller`, or nil when the test found no significant difference or the groups are too small
        /// for one (``ShiftTest/canDecide``).
        public var direction: Direction? {
            guard test.canDecide, test.isSignificant else { return nil }
            return test.valuesAreLarger ? .larger : .smaller
        }

        public enum Direction: Sendable, Equatable {
            case larger, smaller
        }
    }

    /// `values` against `baseline`: the difference of medians and the exact Mann–Whitney test; nil when either
    /// group is empty.
    public static func difference(_ values: [Double], minus baseline: [Double]) -> Difference? {
        guard let estimate = differenceOfMedians(values, minus: baseline),
            let test = mannWhitney(values, versus: baseline)
        else { return nil }
        return Difference(estimate: estimate, test: test)
    }

    /// The difference of two groups' medians (`values` − `baseline`) with the distribution-free interval of the
    /// shift between them that goes with the Mann–Whitney test (Moses' interval): `[d(k), d(mn+1−k)]` of the
    /// m·n sorted pairwise differences, for the largest `k` with P(U < k) ≤ (1 − `level`)/2, and its achieved
    /// confidence. Four trials per group give [min, max] of the differences at 97.1%.
    ///
    /// Where the group sizes cannot reach `level` (three trials per group or fewer) the estimate is the
    /// difference alone, with no confidence. Beyond 60 trials in all the rank comes from U's normal approximation
    /// and the confidence is `level`. Nil when either group is empty.
    public static func differenceOfMedians(
        _ values: [Double], minus baseline: [Double], level: Double = 0.95
    )
        -> Estimate?
    {
        guard let center = median(values), let base = median(baseline) else { return nil }
        let difference = center - base
        let m = values.count
        let n = baseline.count
        var rank = 0
        var confidence = level
        if m + n <= UDistribution.exactLimit {
            let distribution = UDistribution(m, n)
            var below = 0.0
            while rank < distribution.probabilities.count {
                let next = below + distribution.probabilities[rank]
                guard next <= (1 - level) / 2 else { break }
                below = next
                rank += 1
            }
            confidence = 1 - 2 * below
        } else {
            // Many trials: U is close to normal, and the rank follows from its mean and spread.
            let z = 1.959_963_984_540_054
            let spread = (Double(m * n * (m + n + 1)) / 12).squareRoot()
            rank = max(0, Int((Double(m * n) / 2 - z * spread).rounded(.down)))
        }
        guard rank >= 1 else { return Estimate(value: difference, low: difference, high: difference) }
        let pairs = values.flatMap { x in baseline.map { x - $0 } }.sorted()
        return Estimate(
            value: difference, low: pairs[rank - 1], high: pairs[pairs.count - rank], confidence: confidence)
    }
}

extension Statistics.Estimate {
    /// True when the estimate is an interval that does not contain 0.
    public var excludesZero: Bool { isInterval && (low > 0 || high < 0) }
}

extension Statistics {
    /// Holm–Bonferroni: which of several tests are significant with the chance of any false "significant" among
    /// them held at `alpha` (family-wise), whatever their correlation. A nil p-value is a test not made (false).
    ///
    /// The i-th smallest of m p-values (from 0) must be at most alpha / (m − i), in order, stopping at the first
    /// that is not.
    public static func holm(_ pValues: [Double?], alpha: Double = ShiftTest.alpha) -> [Bool] {
        let tested = pValues.indices.filter { pValues[$0] != nil }.sorted { pValues[$0]! < pValues[$1]! }
        var significant = [Bool](repeating: false, count: pValues.count)
        for (rank, index) in tested.enumerated() {
            guard pValues[index]! <= alpha / Double(tested.count - rank) else { break }
            significant[index] = true
        }
        return significant
    }

    /// The fewest trials a side for which an exact two-sided Mann–Whitney test can reach `level` (its smallest
    /// p-value, 2 / C(2n, n), at or below it).
    public static func trialsNeeded(forPValue level: Double) -> Int {
        var n = 1
        var ways = 2.0  // C(2n, n) for n = 1
        while 2 / ways > level && n < 1_000 {
            n += 1
            ways = ways * Double(2 * n) * Double(2 * n - 1) / Double(n * n)
        }
        return n
    }
}
