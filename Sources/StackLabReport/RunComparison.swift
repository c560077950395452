import StackLabCore

/// Two runs side by side: per variant, offered rate and metric, the change from the first run to the second,
/// called significant only where the exact two-sided Mann–Whitney test over the two runs' trials gives p < 0.05
/// (``Statistics/difference(_:minus:)``) after Holm's correction over all rows compared (``Statistics/holm(_:alpha:)``);
/// with too few trials for the test to ever get there, no verdict.
public struct RunComparison: Sendable {
    /// What a metric is measured in, and which direction is better.
    public enum Metric: String, Sendable, CaseIterable {
        case achievedRate = "achieved"
        case p50
        case p90
        case p99
        case perMillionRequests = "$/M requests"

        /// True when a larger value is better (throughput), false when smaller is (latency, cost).
        public var higherIsBetter: Bool { self == .achievedRate }

        func text(_ value: Double) -> String {
            switch self {
            case .achievedRate: NumberText.rate(value) + "/s"
            case .p50, .p90, .p99: DurationText.micros(value)
            case .perMillionRequests: MoneyText.dollars(value)
            }
        }
    }

    /// One metric of one variant at one offered rate in both runs.
    public struct Row: Sendable, Equatable {
        public var variant: String
        public var offeredRate: Double?
        public var metric: Metric
        public var before: Statistics.Estimate
        public var after: Statistics.Estimate
        /// After over before, minus one; nil when before is 0.
        public var relativeChange: Double?
        /// The exact test of the trials found a difference at 5%.
        public var significant: Bool
        /// The workload's name, when the runs have several.
        public var workload: String? = nil
        /// The after run's trials against the before run's; nil when either has none of this metric.
        public var difference: Statistics.Difference? = nil

        /// How many rows of the comparison were tested: the family whose p-values Holm's correction weighs.
        public var comparisons: Int = 1

        /// `better (p=0.002)`, `worse (p=…)`, `within noise (p=…)`, `within noise (p=0.03; …, Holm)` when the test
        /// alone would have called it but not among all the rows compared, or `n too small for a verdict`.
        public var verdict: String {
            guard let difference else { return significant ? "different" : "within noise" }
            if difference.direction != nil && !significant {
                return "within noise (p=\(ReportTables.pValueText(difference.test.pValue)); not significant among "
                    + "\(comparisons) comparisons, Holm)"
            }
            return ReportTables.differenceVerdict(
                difference, larger: metric.higherIsBetter ? "better" : "worse",
                smaller: metric.higherIsBetter ? "worse" : "better")
        }
    }

    public var before: RunReport
    public var after: RunReport
    public var rows: [Row]
    /// Variant and rate groups found in only one of the runs, as `variant @ rate (only in RUN)`.
    public var unmatched: [String]

    /// True when the runs are of differently named experiments: only the variants both ran are compared.
    public var differentExperiments: Bool {
        before.record.spec.name != after.record.spec.name
    }

    /// The variants compared, in the first run's order.
    public var comparedVariants: [String] {
        var names: [String] = []
        for row in rows where !names.contains(row.variant) { names.append(row.variant) }
        return names
    }

    /// Compares `before` with `after`; $ per million requests is compared when both are priced.
    public init(before: RunReport, after: RunReport) {
        self.before = before
        self.after = after
        var rows: [Row] = []
        var unmatched: [String] = []
        for group in before.groups {
            guard
                let other = after.groups.first(where: {
                    $0.variant == group.variant && $0.offeredRate == group.offeredRate && $0.workload == group.workload
                })
            else {
                unmatched.append("\(group.variant) @ \(group.rateLabel) (only in \(before.record.id))")
                continue
            }
            for metric in Metric.allCases {
                let firstValues = Self.values(metric, group, before)
                let secondValues = Self.values(metric, other, after)
                guard let first = Statistics.medianWithInterval(firstValues),
                    let second = Statistics.medianWithInterval(secondValues)
                else { continue }
                let difference = Statistics.difference(secondValues, minus: firstValues)
                rows.append(
                    Row(
                        variant: group.variant, offeredRate: group.offeredRate, metric: metric, before: first,
                        after: second, relativeChange: first.value != 0 ? second.value / first.value - 1 : nil,
                        significant: difference?.direction != nil, workload: group.workload, difference: difference))
            }
        }
        for group in after.groups
        where !before.groups.contains(where: {
            $0.variant == group.variant && $0.offeredRate == group.offeredRate && $0.workload == group.workload
        }) {
            unmatched.append("\(group.variant) @ \(group.rateLabel) (only in \(after.record.id))")
        }
        // Many rows tested at 5% each would call about one in twenty of two identical runs different: the
        // rows' p-values are corrected together, so a false difference anywhere stays at 5% (family-wise).
        let pValues = rows.map { row in row.difference.flatMap { $0.test.canDecide ? $0.test.pValue : nil } }
        let family = Statistics.holm(pValues)
        for index in rows.indices {
            rows[index].comparisons = pValues.compactMap { $0 }.count
            rows[index].significant = family[index] && rows[index].difference?.direction != nil
        }
        self.rows = rows
        self.unmatched = unmatched
    }

    /// The comparison's verdict in one line: how many rows changed, or that none did, or why none could.
    public var overallLine: String {
        let tested = rows.compactMap { $0.difference?.test }.filter(\.canDecide)
        guard !tested.isEmpty else {
            return "overall: no verdict: too few trials for the test (4 a side are the fewest that can give one)"
        }
        let changed = rows.filter(\.significant).count
        if changed > 0 {
            return "overall: \(changed) of \(tested.count) comparisons changed significantly (5% family-wise, Holm)"
        }
        var line = "overall: no significant change among \(tested.count) comparisons (5% family-wise, Holm)"
        let needed = Statistics.ShiftTest.alpha / Double(tested.count)
        if let best = tested.map(\.smallestPossiblePValue).min(), best > needed {
            line +=
                "; with these trials no change could have shown: the smallest possible p is "
                + "\(ReportTables.pValueText(best)), the first of \(tested.count) needs ≤ "
                + "\(DurationText.fixed(needed, digits: needed < 0.001 ? 5 : 4)), which \(Statistics.trialsNeeded(forPValue: needed)) trials a "
                + "side can reach"
        }
        return line
    }

    /// The metric of each trial of `group`: trials are the unit compared.
    private static func values(_ metric: Metric, _ group: RunSummary.Group, _ report: RunReport) -> [Double] {
        switch metric {
        case .achievedRate: group.trials.map(\.load.achievedRate)
        case .p50: group.trials.map(\.load.latency.p50)
        case .p90: group.trials.map(\.load.latency.p90)
        case .p99: group.trials.map(\.load.latency.p99)
        case .perMillionRequests: report.trialCosts(of: group).compactMap(\.perMillionRequests)
        }
    }

    /// What the test means, in one line.
    static let method =
        "significant only where the exact two-sided Mann–Whitney test over the two runs' trials gives p < 0.05 "
        + "after Holm's correction for the number of rows compared, so two identical runs show a false difference "
        + "in any row at most 5% of the time; 4 trials per run are the fewest that can give a verdict; intervals "
        + "are order-statistic intervals of the median"

    /// Groups only one run has, in one line: how many, and of which variants.
    private var unmatchedLine: String? {
        guard !unmatched.isEmpty else { return nil }
        var parts: [String] = []
        for run in [before.record.id, after.record.id] {
            let mine = unmatched.filter { $0.hasSuffix("(only in \(run))") }
            guard !mine.isEmpty else { continue }
            var variants: [String] = []
            for entry in mine {
                let name = String(entry.prefix { $0 != " " })
                if !variants.contains(name) { variants.append(name) }
            }
            let shown = variants.prefix(8).joined(separator: ", ") + (variants.count > 8 ? ", …" : "")
            parts.append("\(mine.count) variant/rate group(s) only in \(run) (\(shown))")
        }
        return "not compared: " + parts.joined(separator: "; ")
    }

    /// The line saying the runs are of different experiments and what was compared; nil when they are of one.
    private var experimentsLine: String? {
        guard differentExperiments else { return nil }
        return "runs of different experiments (\(before.record.spec.name), \(after.record.spec.name)): compared "
            + "only the variants both ran: " + comparedVariants.joined(separator: ", ")
    }

    /// The comparison as a table: one row per variant, rate and metric.
    public var table: ReportTable {
        var table = ReportTable(
            header: ["variant", "offered", "metric", before.record.id, after.record.id, "change", "verdict"],
            alignments: [.left, .right, .left, .right, .right, .right, .left])
        for row in rows {
            table.rows.append([
                row.variant + (row.workload.map { " · \($0)" } ?? ""),
                row.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max", row.metric.rawValue,
                Self.text(row.metric, row.before), Self.text(row.metric, row.after),
                row.relativeChange.map { ($0 >= 0 ? "+" : "") + NumberText.percent($0, digits: 1) } ?? "-",
                row.verdict,
            ])
        }
        return table
    }

    /// The comparison for a terminal: both runs named, the table, and what could not be matched.
    public func render() -> String {
        var lines = [
            "stacklab compare \(before.record.spec.name): \(before.record.id) → \(after.record.id)",
            "  " + Self.method,
        ]
        if let experimentsLine { lines.append("  " + experimentsLine) }
        lines += ["  " + overallLine, "", TextReportRenderer.text(table)]
        if before.record.fingerprint.cpuModel != after.record.fingerprint.cpuModel
            || before.record.fingerprint.cores != after.record.fingerprint.cores
        {
            lines.append("")
            lines.append("  note: the runs ran on different machines; differences may be the machine's")
        }
        if let unmatchedLine {
            lines.append("")
            lines.append("  " + unmatchedLine)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison in GitHub-flavoured Markdown, for a pull request.
    public func markdown() -> String {
        var lines = [
            "## \(MarkdownText.code(before.record.id)) → \(MarkdownText.code(after.record.id))", "",
            Self.method.prefix(1).uppercased() + Self.method.dropFirst() + ".", "",
        ]
        if let experimentsLine {
            lines += [
                MarkdownText.text(experimentsLine.prefix(1).uppercased() + experimentsLine.dropFirst() + "."), "",
            ]
        }
        lines += ["**" + overallLine.prefix(1).uppercased() + overallLine.dropFirst() + ".**", ""]
        lines.append(MarkdownTable.render(table))
        if let unmatchedLine {
            lines += ["", MarkdownText.text(unmatchedLine.prefix(1).uppercased() + unmatchedLine.dropFirst() + ".")]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func text(_ metric: Metric, _ estimate: Statistics.Estimate) -> String {
        IntervalText.text(estimate, metric.text)
    }
}
