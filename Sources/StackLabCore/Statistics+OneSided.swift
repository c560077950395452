import Foundation

extension Statistics {
    /// The exact one-sided Mann–Whitney test: do `values` tend to lie above `baseline`?
    ///
    /// A regression gate asks one direction only (did it get worse?), so its test is one-sided: with 3 trials a
    /// side the smallest p-value is 1/C(6,3) = 0.05 (every value above every baseline value), where the two-sided
    /// test's is 0.1; 4 a side reach 0.014, 5 a side 0.004.
    public struct OneSidedTest: Sendable, Equatable {
        /// A test is significant at p ≤ this (an exact test's size is then at most this).
        public static let alpha = 0.05

        public var pValue: Double
        /// 1 / C(m+n, m): every value above every baseline value.
        public var smallestPossiblePValue: Double
        public var count: Int
        public var baselineCount: Int

        /// True when these group sizes can reach ``alpha`` at all (3 trials a side can, 2 cannot).
        public var canDecide: Bool { smallestPossiblePValue <= Self.alpha * (1 + 1e-9) }
        /// True when p ≤ ``alpha``.
        public var isSignificant: Bool { pValue <= Self.alpha * (1 + 1e-9) }
    }

    /// The exact one-sided test of `values` lying above `baseline`; nil when either group is empty.
    ///
    /// p = P(U ≥ u) over every split of the pooled trials (ties count half and are rounded towards the middle, so
    /// the test stays conservative); beyond 60 trials in all, U's normal approximation.
    public static func mannWhitney(_ values: [Double], above baseline: [Double]) -> OneSidedTest? {
        guard !values.isEmpty, !baseline.isEmpty else { return nil }
        let m = values.count
        let n = baseline.count
        let u = uStatistic(values, baseline)
        let p: Double
        if m + n <= UDistribution.exactLimit {
            p = min(1, UDistribution(m, n).atLeast(Int(u.rounded(.down))))
        } else {
            let mean = Double(m * n) / 2
            let sd = (Double(m * n * (m + n + 1)) / 12).squareRoot()
            p = min(1, erfc((u - mean - 0.5) / sd / 2.0.squareRoot()) / 2)
        }
        return OneSidedTest(
            pValue: p, smallestPossiblePValue: min(1, 1 / UDistribution.choose(m + n, m)), count: m,
            baselineCount: n)
    }

    /// The fewest trials a side for which the one-sided exact test can reach ``OneSidedTest/alpha``: 1/C(2n, n)
    /// at or below it (3).
    public static var trialsNeededOneSided: Int {
        var n = 1
        while 1 / UDistribution.choose(2 * n, n) > OneSidedTest.alpha * (1 + 1e-9) { n += 1 }
        return n
    }
}
