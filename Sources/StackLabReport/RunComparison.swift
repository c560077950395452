import StackLabCore

/// Two runs side by side: per variant, offered rate and metric, the change from the first run to the second,
/// called significant only where the 95% intervals do not overlap (``Statistics/Estimate/differs(from:)``).
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
        /// The intervals do not overlap.
        public var significant: Bool
        /// The workload's name, when the runs have several.
        public var workload: String? = nil

        /// `better`, `worse`, or `within noise`.
        public var verdict: String {
            guard significant else { return "within noise" }
            let increased = after.value > before.value
            return increased == metric.higherIsBetter ? "better" : "worse"
        }
    }

    public var before: RunReport
    public var after: RunReport
    public var rows: [Row]
    /// Variant and rate groups found in only one of the runs, as `variant @ rate (only in RUN)`.
    public var unmatched: [String]

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
                guard let first = Self.estimate(metric, group, before), let second = Self.estimate(metric, other, after)
                else { continue }
                rows.append(
                    Row(
                        variant: group.variant, offeredRate: group.offeredRate, metric: metric, before: first,
                        after: second, relativeChange: first.value != 0 ? second.value / first.value - 1 : nil,
                        significant: first.differs(from: second), workload: group.workload))
            }
        }
        for group in after.groups
        where !before.groups.contains(where: {
            $0.variant == group.variant && $0.offeredRate == group.offeredRate && $0.workload == group.workload
        }) {
            unmatched.append("\(group.variant) @ \(group.rateLabel) (only in \(after.record.id))")
        }
        self.rows = rows
        self.unmatched = unmatched
    }

    private static func estimate(
        _ metric: Metric, _ group: RunSummary.Group, _ report: RunReport
    )
        -> Statistics.Estimate?
    {
        switch metric {
        case .achievedRate: group.achieved
        case .p50: group.p50
        case .p90: group.p90
        case .p99: group.p99
        case .perMillionRequests: report.cost(of: group)?.perMillionRequests
        }
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
            "  significant only where the 95% intervals of the median do not overlap; otherwise within noise",
            "",
            TextReportRenderer.text(table),
        ]
        if before.record.fingerprint.cpuModel != after.record.fingerprint.cpuModel
            || before.record.fingerprint.cores != after.record.fingerprint.cores
        {
            lines.append("")
            lines.append("  note: the runs ran on different machines; differences may be the machine's")
        }
        if !unmatched.isEmpty {
            lines.append("")
            lines.append("  not compared: " + unmatched.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison in GitHub-flavoured Markdown, for a pull request.
    public func markdown() -> String {
        var lines = [
            "## \(MarkdownText.code(before.record.id)) → \(MarkdownText.code(after.record.id))", "",
            "Significant only where the 95% intervals of the median do not overlap; otherwise within noise.", "",
            MarkdownTable.render(table),
        ]
        if !unmatched.isEmpty {
            lines += ["", "Not compared: " + MarkdownText.text(unmatched.joined(separator: ", ")) + "."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func text(_ metric: Metric, _ estimate: Statistics.Estimate) -> String {
        guard estimate.low != estimate.high else { return metric.text(estimate.value) }
        return metric.text(estimate.value) + " [" + metric.text(estimate.low) + "–" + metric.text(estimate.high) + "]"
    }
}
