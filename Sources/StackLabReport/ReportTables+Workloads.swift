import StackLabCore

extension ReportTables {
    /// One workload's table (a table per endpoint): per variant and offered rate, fixed rates from low to high then
    /// the closed loop, the requests/s achieved, p50 and p99, the stack's CPU-seconds per 1000 requests and peak
    /// memory, and $ per million requests; medians across repeats with their intervals (``IntervalText``).
    ///
    /// `report` is the workload's own report (``RunReport/WorkloadReport/report``).
    public static func workload(_ report: RunReport) -> ReportTable {
        let groups = ReportCharts.orderedGroups(report)
        let interval = IntervalText.header("", groups.map(\.p99))
        // A messaging workload counts messages the broker acknowledged, and its latency is the publish latency.
        let messages = report.record.spec.workload.wireProtocol.isMessaging
        var header = [
            "variant", "offered", (messages ? "messages/s" : "requests/s") + interval,
            (messages ? "publish p50" : "p50") + interval, (messages ? "publish p99" : "p99") + interval,
            (messages ? "CPU s/1000 msg" : "CPU s/1000 req") + interval, "peak memory", "errors",
        ]
        if report.costs != nil { header.append((messages ? "$/M messages" : "$/M requests") + interval) }
        var table = ReportTable(header: header, alignments: [.left])
        for group in groups {
            var row = [
                group.variant, group.rateLabel, rateText(group.achieved), latencyText(group.p50),
                latencyText(group.p99), cpuText(group.stackCPUSecondsPer1000Requests),
                group.stackPeakRSSBytes.map { NumberText.bytes(Int($0.value)) } ?? "-",
                NumberText.percent(group.errorRate),
            ]
            if report.costs != nil { row.append(MoneyText.dollars(report.cost(of: group)?.perMillionRequests)) }
            table.rows.append(row)
        }
        return table
    }

    /// `12,345/s [12,100–12,500]`, or `-`.
    public static func rateText(_ estimate: Statistics.Estimate?) -> String {
        IntervalText.text(estimate, unit: "/s", NumberText.rate)
    }

    /// CPU-seconds with three significant digits below 1, `0.0512 [0.0498–0.0530]`, or `-`.
    public static func cpuText(_ estimate: Statistics.Estimate?) -> String {
        func text(_ value: Double) -> String {
            var digits = 2
            var scaled = abs(value)
            while scaled > 0 && scaled < 0.1 && digits < 9 {
                scaled *= 10
                digits += 1
            }
            return DurationText.fixed(value, digits: value >= 10 ? 1 : digits)
        }
        return IntervalText.text(estimate, text)
    }
}
