import StackLabCore

extension RegressionGate {
    /// The rule the gate decides by, in one sentence.
    public static let method =
        "a check fails only when the candidate's median is beyond the tolerance and that is significant: the exact "
        + "one-sided Mann–Whitney test of the candidate's trials, moved back by the tolerance, against the "
        + "baseline's gives p ≤ 0.05; \(Statistics.trialsNeededOneSided) trials a side are the fewest that can"

    /// The verdict in one line, first in every format: `gate: FAIL: …`, `gate: PASS: …` or `gate: NO VERDICT: …`.
    public var verdictLine: String {
        let failed = checks.filter { $0.outcome == .fail }
        let undecided = checks.filter { $0.outcome == .undecided }
        switch outcome {
        case .fail:
            let shown = failed.prefix(3).map { "\($0.rule.metric.rawValue) of \($0.place) \($0.changeText)" }
            return "gate: FAIL: \(failed.count) of \(checks.count) checks changed beyond their tolerance, "
                + "significantly (" + shown.joined(separator: "; ") + (failed.count > 3 ? "; …" : "") + ")"
        case .pass:
            var line = "gate: PASS: none of \(checks.count) checks changed beyond its tolerance significantly"
            if !undecided.isEmpty {
                line += "; \(undecided.count) not decided: " + Self.notEnoughTrials(undecided)
            }
            return line
        case .undecided:
            return "gate: NO VERDICT: " + Self.notEnoughTrials(undecided) + "; the gate does not fail"
        }
    }

    /// `not enough trials (2 and 2; needs 3 a side)`.
    static func notEnoughTrials(_ checks: [Check]) -> String {
        let sizes = Set(checks.map { "\($0.baselineTrials) and \($0.candidateTrials)" }).sorted()
        return "not enough trials (\(sizes.joined(separator: ", ")); needs \(Statistics.trialsNeededOneSided) a side)"
    }

    /// One row per check: metric, variant, rate, baseline, candidate, change, tolerance, significant?, verdict.
    public var table: ReportTable {
        var table = ReportTable(
            header: [
                "metric", "variant", "rate", "baseline", "candidate", "change", "tolerance", "significant?", "verdict",
            ],
            alignments: [.left, .left, .right, .right, .right, .right, .left, .left, .left])
        for check in checks {
            table.rows.append([
                check.rule.metric.rawValue, check.variant + (check.workload.map { " · \($0)" } ?? ""),
                check.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max",
                check.text(check.baseline), check.text(check.candidate), check.changeText,
                check.toleranceText, check.significanceText, check.verdictText,
            ])
        }
        return table
    }

    /// For a terminal: the verdict, the rule, the table.
    public func render() -> String {
        [
            verdictLine, "  \(baselineID) (baseline) → \(candidateID) (candidate)", "  " + Self.method, "",
            TextReportRenderer.text(table),
        ].joined(separator: "\n") + "\n"
    }

    /// GitHub-flavoured Markdown for a pull-request comment or a job summary: the verdict first, then the table.
    public func markdown() -> String {
        [
            "**" + MarkdownText.text(verdictLine) + "**", "",
            "Baseline \(MarkdownText.code(baselineID)) → candidate \(MarkdownText.code(candidateID)). "
                + MarkdownText.text(Self.method.prefix(1).uppercased() + Self.method.dropFirst()) + ".", "",
            MarkdownTable.render(table),
        ].joined(separator: "\n") + "\n"
    }
}

extension RegressionGate.Check {
    /// `direct @ 200/s`, with the workload when there is one.
    var place: String {
        variant + (workload.map { " · \($0)" } ?? "") + " @ "
            + (offeredRate.map { NumberText.rate($0) + "/s" } ?? "max")
    }

    func text(_ value: Double) -> String {
        switch rule.metric {
        case .p50, .p90, .p95, .p99: DurationText.micros(value)
        case .costPerMillion: MoneyText.dollars(value)
        case .rate: NumberText.rate(value) + "/s"
        case .errorRate: NumberText.percent(value, digits: 2)
        }
    }

    /// `+2.05ms (+812.0%)`: the medians' difference, and relative to the baseline when it is not 0.
    var changeText: String {
        let difference = candidate - baseline
        let sign = difference < 0 ? "-" : "+"
        let absolute =
            rule.metric == .errorRate
            ? NumberText.trimmed(abs(difference) * 100, maximumDigits: 2) + "pp" : text(abs(difference))
        guard baseline != 0 else { return sign + absolute }
        let share = difference / baseline
        return sign + absolute + " (" + (share < 0 ? "" : "+") + NumberText.percent(share, digits: 1) + ")"
    }

    /// `+10% (limit 1.21ms)`.
    var toleranceText: String {
        let sign = rule.failsOnIncrease ? "+" : "-"
        let amount =
            switch rule.tolerance {
            case .relative(let share): NumberText.trimmed(share * 100, maximumDigits: 2) + "%"
            case .absolute(let value) where rule.metric == .errorRate:
                NumberText.trimmed(value * 100, maximumDigits: 3) + "pp"
            case .absolute(let value): text(value)
            }
        return sign + amount + " (limit " + text(limit) + ")"
    }

    /// `yes (p=0.050)`, `no (p=0.35)`, or why no test could decide.
    var significanceText: String {
        guard let test else { return "-" }
        guard test.canDecide else { return "n too small" }
        return (test.isSignificant ? "yes" : "no") + " (p=" + ReportTables.pValueText(test.pValue) + ")"
    }

    var verdictText: String {
        switch outcome {
        case .fail: "FAIL"
        case .undecided: RegressionGate.notEnoughTrials([self])
        case .pass:
            beyondTolerance ? "pass (beyond the tolerance, not significant)" : "pass"
        }
    }
}
