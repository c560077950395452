import StackLabCore

extension ReportTables {
    /// `2,000/s`, `≥ 4,000/s (highest tried)`, `none (500/s failed)`, or `-` without a sweep under an SLO.
    public static func sweepLimitText(_ limit: SweepLimit?) -> String {
        guard let limit else { return "-" }
        guard let rate = limit.highestRateWithinSLO else {
            return "none (\(NumberText.rate(limit.lowestFailure ?? limit.highestTried))/s failed)"
        }
        return limit.isLowerBound ? "≥ \(NumberText.rate(rate))/s (highest tried)" : "\(NumberText.rate(rate))/s"
    }

    /// The sweep's capacity as a sentence for a report, `strong` marking the figure.
    public static func sweepLimitSentence(_ limit: SweepLimit, strong: (String) -> String = { $0 }) -> String {
        guard let rate = limit.highestRateWithinSLO else {
            return "No offered rate is within the SLO: the lowest tried, "
                + "\(NumberText.rate(limit.lowestFailure ?? limit.highestTried))/s, failed it."
        }
        if limit.isLowerBound {
            return "Highest rate within the SLO: \(strong("≥ \(NumberText.rate(rate))/s")) (highest tried): every "
                + "rate tried met the SLO, so the sweep found no limit."
        }
        return "Highest rate within the SLO: \(strong("\(NumberText.rate(rate))/s")) "
            + "(every rate up to it met the SLO; \(NumberText.rate(limit.lowestFailure!))/s failed)."
            + clientShapedText(limit)
    }

    /// ` The load generator shaped the trials at 4,000/s (client CPU): the limit may be the client's, not the
    /// stack's.`, or nothing when the stack alone failed.
    static func clientShapedText(_ limit: SweepLimit) -> String {
        guard let failure = limit.lowestFailure, !limit.failureShapedBy.isEmpty else { return "" }
        return " The load generator shaped the trials at \(NumberText.rate(failure))/s ("
            + limit.failureShapedBy.map(\.label).joined(separator: ", ")
            + "): the limit may be the client's, not the stack's."
    }

    /// The sweep's capacity as a line under a terminal table.
    public static func sweepLimitLine(_ limit: SweepLimit) -> String {
        guard limit.highestRateWithinSLO != nil else {
            return "no offered rate is within the SLO: the lowest tried, "
                + "\(NumberText.rate(limit.lowestFailure ?? limit.highestTried))/s, failed it"
        }
        let sentence = sweepLimitSentence(limit)
        return "highest rate" + sentence.dropFirst("Highest rate".count).dropLast()
    }

    /// How many trials the load generator, not the stack, shaped, and why: `none of 12 trials` or
    /// `3 of 12 trials shaped by the client (wake-up delay 2, client CPU 1)`.
    public static func generatorSummary(_ record: RunRecord) -> String {
        let checks = record.trials.map(\.load.generator)
        let bound = checks.filter { $0.verdict != GeneratorCheck.ok }
        guard !bound.isEmpty else { return "no trial of \(checks.count) was shaped by the client" }
        let counts = GeneratorCheck.Cause.allCases.compactMap { cause -> String? in
            let count = bound.filter { $0.causes?.contains(cause) ?? false }.count
            return count > 0 ? "\(cause.label) \(count)" : nil
        }
        return "\(bound.count) of \(checks.count) trials shaped by the client, not the stack"
            + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
    }
}
