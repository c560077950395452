import StackLabCore

extension ReportTables {
    /// Per variant, trial group and component measured in cgroups of its own: its limits, the CPU its group used,
    /// how often and how long the CPU limit held it back, its memory peak against its limit, OOM kills, and the
    /// group's p99 (``CgroupSummary``). Nil when no component of the run had a limit.
    public static func cpuLimits(_ report: RunReport) -> ReportTable? {
        var table = ReportTable(
            header: [
                "variant", "component", "offered", "CPU limit", "CPU used", "throttled periods", "throttled s/s",
                "memory peak", "memory limit", "OOM kills", "p99",
            ],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right])
        var anyLimit = false
        for variant in report.variants {
            for group in report.groups(of: variant.name) {
                let names = group.trials.first?.components.map(\.name) ?? []
                for (index, name) in names.enumerated() {
                    let measured = group.trials.compactMap { index < $0.components.count ? $0.components[index] : nil }
                    guard let summary = CgroupSummary(measured) else { continue }
                    anyLimit = anyLimit || summary.cpuLimit != nil || summary.memoryLimitBytes != nil
                    table.rows.append([
                        variant.name, name,
                        ([group.workload].compactMap { $0 } + [group.rateLabel]).joined(separator: " "),
                        summary.cpuLimit.map { NumberText.trimmed($0, maximumDigits: 3) } ?? "none",
                        DurationText.fixed(summary.cpuCores, digits: 2),
                        summary.throttledFraction.map { NumberText.percent($0, digits: 1) } ?? "-",
                        summary.throttledSecondsPerSecond.map { DurationText.fixed($0, digits: 2) } ?? "-",
                        summary.memoryPeakBytes.map(NumberText.bytes) ?? "-",
                        summary.memoryLimitBytes.map(NumberText.bytes) ?? "none",
                        String(summary.oomKills), latencyText(group.p99),
                    ])
                }
            }
        }
        return anyLimit ? table : nil
    }

    /// What the CPU limits table's columns mean, for under it.
    public static let cpuLimitsNote =
        "Limits are enforced with cgroups as Kubernetes enforces them: a CPU limit is a quota of limit × 100 ms per "
        + "100 ms period (CFS), a memory limit the group's memory.limit_in_bytes. CPU used: the group's own "
        + "accounting (cpuacct), every process in it counted, short-lived ones included. Throttled periods: the "
        + "share of periods in which the group used up its quota and waited for the next; throttled s/s: time its "
        + "threads spent waiting, per second. Memory peak: the group's highest charge, page cache included. "
        + "Medians across repeats; OOM kills summed."
}
