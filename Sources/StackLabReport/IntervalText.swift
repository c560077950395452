import StackLabCore

/// How an estimate reads in a table: `812µs [790µs–830µs]` for an interval with a known confidence,
/// `812µs (range 790µs–830µs)` when there were too few trials for one, `812µs` for one trial; and the column
/// header that says which.
public enum IntervalText {
    /// `value [low–high]`, `value (range low–high)` or `value`, each number written by `text`, `unit` after the
    /// value.
    public static func text(
        _ estimate: Statistics.Estimate?, unit: String = "", _ text: (Double) -> String
    ) -> String {
        guard let estimate else { return "-" }
        let value = text(estimate.value) + unit
        if estimate.isInterval { return value + " [" + text(estimate.low) + "–" + text(estimate.high) + "]" }
        guard estimate.low < estimate.high else { return value }
        return value + " (range " + text(estimate.low) + "–" + text(estimate.high) + ")"
    }

    /// `p99 [93.8% CI]` when every estimate of the column is an interval of the same confidence, `p99 [CI]` when
    /// they differ, `p99 (range)` when none is an interval but some spread, `p99 (no interval)` otherwise.
    public static func header(_ name: String, _ estimates: [Statistics.Estimate?]) -> String {
        let present = estimates.compactMap { $0 }
        let confidences = Set(present.compactMap(\.confidence))
        if present.allSatisfy(\.isInterval), confidences.count == 1, let confidence = confidences.first {
            return "\(name) [\(percent(confidence)) CI]"
        }
        if !confidences.isEmpty { return "\(name) [CI]" }
        return present.contains { $0.low < $0.high } ? "\(name) (range)" : "\(name) (no interval)"
    }

    /// `93.8%`.
    public static func percent(_ confidence: Double) -> String {
        DurationText.fixed(confidence * 100, digits: 1) + "%"
    }

    /// One line on what the intervals of trials in groups of `counts` mean, and whether there are enough trials
    /// for intervals and verdicts.
    public static func note(trialsPerGroup counts: [Int]) -> String {
        let sizes = Array(Set(counts)).sorted()
        guard let smallest = sizes.first else { return "" }
        let medians = sizes.map { n -> String in
            if let interval = Statistics.medianIntervalRank(count: n) {
                return "n=\(n): \(percent(interval.confidence)) interval"
            }
            return n == 1 ? "n=1: no interval" : "n=\(n): range only"
        }
        var line =
            "intervals: distribution-free (order-statistic) intervals of the median over trials, "
            + medians.joined(separator: ", ")
        line += "; differences: exact two-sided Mann–Whitney test over trials at 5%"
        if smallest < 4 { line += "; n=\(smallest) is too few for a verdict (4 trials per group are needed)" }
        return line
    }
}
