import StackLabCore

extension RunSummary.Group {
    /// `ok` when the load generator shaped no repeat, else `generator-bound (N/M)` with how many it shaped and
    /// why (`generator-bound (2/5): wake-up delay`).
    public var generatorVerdict: String {
        let bound = trials.map(\.load.generator).filter { $0.verdict != GeneratorCheck.ok }
        guard !bound.isEmpty else { return GeneratorCheck.ok }
        let causes = GeneratorCheck.Cause.allCases.filter { cause in
            bound.contains { $0.causes?.contains(cause) ?? false }
        }
        return "\(GeneratorCheck.generatorBound) (\(bound.count)/\(trials.count))"
            + (causes.isEmpty ? "" : ": " + causes.map(\.label).joined(separator: ", "))
    }

    /// `✗ invalid (k/n)` when trials measured nothing (``invalidTrials``); else `✓`, `-` without an SLO, or `✗` with each objective that failed and its worst failing value across
    /// repeats (`✗ p99.9 31.00ms`), so a met p99 beside a failed p99.9 does not read as a contradiction.
    public var sloVerdict: String {
        let invalid = invalidTrials.count
        if invalid > 0 { return "✗ invalid (\(invalid)/\(trials.count))" }
        guard let meets = meetsSLO else { return "-" }
        guard !meets else { return "✓" }
        var failed: [String: [LoadResult.ThresholdOutcome]] = [:]
        var order: [String] = []
        for outcome in trials.flatMap(\.load.thresholds) where !outcome.passed {
            if failed[outcome.expression] == nil { order.append(outcome.expression) }
            failed[outcome.expression, default: []].append(outcome)
        }
        let parts = order.map { expression -> String in
            let outcomes = failed[expression]!
            let name = String(expression.prefix { $0 != "<" && $0 != ">" })
            // The worst: the largest of a ceiling, the smallest of a floor.
            let worst =
                expression.contains("<")
                ? outcomes.map(\.actual).max()! : outcomes.map(\.actual).min()!
            switch name {
            case "error_rate": return "errors " + NumberText.percent(worst, digits: 2)
            case "rate": return "rate " + NumberText.rate(worst) + "/s"
            case "requests": return "requests " + NumberText.grouped(Int(worst))
            default: return name + " " + DurationText.micros(worst)
            }
        }
        return "✗ " + parts.joined(separator: ", ")
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
