import StackLabCore

extension RunSummary.Group {
    /// `ok` when the load generator did not limit any repeat, else `generator-bound` with how many it limited.
    public var generatorVerdict: String {
        let bound = trials.filter { $0.load.generator.verdict != GeneratorCheck.ok }.count
        return bound == 0 ? GeneratorCheck.ok : "\(GeneratorCheck.generatorBound) (\(bound)/\(trials.count))"
    }

    /// `✓`, `✗`, or `-` without an SLO; `✗ invalid (k/n)` when trials measured nothing (``invalidTrials``).
    public var sloVerdict: String {
        let invalid = invalidTrials.count
        if invalid > 0 { return "✗ invalid (\(invalid)/\(trials.count))" }
        return meetsSLO.map { $0 ? "✓" : "✗" } ?? "-"
    }

    /// The repeats whose figures are not a measurement (``LoadResult/invalidity``), with the reason.
    public var invalidTrials: [(trial: TrialMeasurement, reason: String)] {
        trials.compactMap { trial in trial.load.invalidity.map { (trial, $0) } }
    }

    /// The offered rate as a table shows it: `1,000/s`, or `max` for closed loop.
    public var rateLabel: String {
        offeredRate.map { NumberText.rate($0) + "/s" } ?? "max"
    }

    /// An estimate of another percentile (p99.9, the mean…) across repeats.
    public func latencyEstimate(_ value: (LatencySummary) -> Double) -> Statistics.Estimate? {
        estimate { value($0.load.latency) }
    }
}
