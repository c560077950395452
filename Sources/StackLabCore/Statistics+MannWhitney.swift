import Foundation

extension Statistics {
    /// The exact two-sided Mann–Whitney U test of two groups of trials: is one group's distribution shifted
    /// from the other's? Valid at any group size: its p-value comes from the exact distribution of U over every
    /// way of splitting the pooled trials into the two groups (a permutation test of ranks), not from a normal
    /// approximation (that is used only beyond 60 trials in all).
    public struct ShiftTest: Sendable, Equatable, Codable {
        /// The level a difference is called significant at, two-sided.
        public static let alpha = 0.05

        /// The number of (value, baseline) pairs in which the value is larger, ties counting half.
        public var u: Double
        public var count: Int
        public var baselineCount: Int
        /// The exact two-sided p-value.
        public var pValue: Double
        /// The smallest p-value these group sizes can give (every value above every baseline value):
        /// 2 / C(m+n, m). Three trials per group can never give less than 0.1.
        public var smallestPossiblePValue: Double

        /// True when the group sizes can reach p < ``alpha`` at all (4 trials per group can, 3 cannot).
        public var canDecide: Bool { smallestPossiblePValue < Self.alpha }
        /// True when p < ``alpha``.
        public var isSignificant: Bool { pValue < Self.alpha }
        /// True when the values tend to be larger than the baseline (U above its middle).
        public var valuesAreLarger: Bool { u > Double(count * baselineCount) / 2 }
    }

    /// The exact Mann–Whitney test of `values` against `baseline`; nil when either group is empty.
    public static func mannWhitney(_ values: [Double], versus baseline: [Double]) -> ShiftTest? {
        guard !values.isEmpty, !baseline.isEmpty else { return nil }
        let m = values.count
        let n = baseline.count
        let u = uStatistic(values, baseline)
        let smallest = min(1, 2 / UDistribution.choose(m + n, m))
        let p: Double
        if m + n <= UDistribution.exactLimit {
            let distribution = UDistribution(m, n)
            // Ties make U a half-integer: rounding away from the middle on each side keeps the test conservative.
            p = min(1, 2 * min(distribution.atMost(Int(u.rounded(.up))), distribution.atLeast(Int(u.rounded(.down)))))
        } else {
            let mean = Double(m * n) / 2
            let sd = (Double(m * n * (m + n + 1)) / 12).squareRoot()
            let z = max(0, abs(u - mean) - 0.5) / sd
            p = min(1, erfc(z / 2.0.squareRoot()))
        }
        return ShiftTest(u: u, count: m, baselineCount: n, pValue: p, smallestPossiblePValue: smallest)
    }

    /// U: the (value, baseline) pairs in which the value is larger, ties counting half.
    static func uStatistic(_ values: [Double], _ baseline: [Double]) -> Double {
        var u = 0.0
        for x in values {
            for y in baseline {
                if x > y { u += 1 } else if x == y { u += 0.5 }
            }
        }
        return u
    }

    /// The null distribution of U for group sizes m and n: P(U = u) for u in 0...m·n.
    struct UDistribution {
        /// Pooled sizes up to this get the exact distribution.
        static let exactLimit = 60
        let probabilities: [Double]

        /// Group sizes of at least 1.
        init(_ m: Int, _ n: Int) {
            // counts(i, j)[u]: arrangements of i values and j baseline values with U = u;
            // counts(i, j)[u] = counts(i − 1, j)[u − j] + counts(i, j − 1)[u].
            var previous = [[Double]](repeating: [1], count: n + 1)  // i = 0: U is 0
            for i in 1...m {
                var current = [[Double]](repeating: [], count: n + 1)
                current[0] = [1]
                for j in 1...n {
                    var row = [Double](repeating: 0, count: i * j + 1)
                    for (u, count) in previous[j].enumerated() { row[u + j] += count }
                    for (u, count) in current[j - 1].enumerated() { row[u] += count }
                    current[j] = row
                }
                previous = current
            }
            let counts = previous[n]
            let total = counts.reduce(0, +)
            probabilities = counts.map { $0 / total }
        }

        func atMost(_ u: Int) -> Double {
            probabilities.prefix(max(0, min(u + 1, probabilities.count))).reduce(0, +)
        }

        func atLeast(_ u: Int) -> Double {
            probabilities.suffix(max(0, min(probabilities.count - u, probabilities.count))).reduce(0, +)
        }

        static func choose(_ n: Int, _ k: Int) -> Double {
            exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)))
        }
    }
}
