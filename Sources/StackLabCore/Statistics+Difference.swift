extension Statistics {
    /// The difference of two groups' medians (`values` − `baseline`) with a percentile-bootstrap interval:
    /// both groups are resampled independently, so the interval reflects the spread of each.
    ///
    /// With one value in each group the interval is the difference itself. Nil when either group is empty.
    public static func differenceOfMedians(
        _ values: [Double], minus baseline: [Double], level: Double = 0.95, resamples: Int = 2_000,
        seed: UInt64 = 0x5EED
    ) -> Estimate? {
        guard let center = median(values), let base = median(baseline) else { return nil }
        let difference = center - base
        guard values.count > 1 || baseline.count > 1 else {
            return Estimate(value: difference, low: difference, high: difference)
        }
        var generator = SplitMix64(seed: seed)
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        var left = [Double](repeating: 0, count: values.count)
        var right = [Double](repeating: 0, count: baseline.count)
        for _ in 0..<resamples {
            for index in left.indices { left[index] = values[Int(generator.next() % UInt64(values.count))] }
            for index in right.indices { right[index] = baseline[Int(generator.next() % UInt64(baseline.count))] }
            differences.append(median(left)! - median(right)!)
        }
        differences.sort()
        let tail = (1 - level) / 2
        let lowIndex = Int((tail * Double(resamples)).rounded(.down))
        let highIndex = min(resamples - 1, Int(((1 - tail) * Double(resamples)).rounded(.up)) - 1)
        return Estimate(value: difference, low: differences[lowIndex], high: differences[highIndex])
    }
}

extension Statistics.Estimate {
    /// True when the interval does not contain 0: for a difference, only then is it called a difference.
    public var excludesZero: Bool { low > 0 || high < 0 }
}
