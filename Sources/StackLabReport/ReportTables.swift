import StackLabCore

/// The tables and facts every report shows, built once from a ``RunReport``.
public enum ReportTables {
    /// The run's header: experiment, run id, status, times, and the environment fingerprint.
    public static func facts(_ report: RunReport) -> [(label: String, value: String)] {
        let record = report.record
        let fingerprint = record.fingerprint
        var facts: [(label: String, value: String)] = [
            ("experiment", record.spec.name),
            ("run", record.id),
            ("status", record.status.rawValue + (record.abortReason.map { " (\($0))" } ?? "")),
            ("started", record.startedAt),
        ]
        if let finished = record.finishedAt { facts.append(("finished", finished)) }
        if let workloads = record.spec.workloads {
            facts.append(("workloads", workloads.map { "\($0.name): \($0.workload.summary)" }.joined(separator: " · ")))
        } else {
            facts.append(("workload", record.spec.workload.summary))
        }
        facts.append(("repeats", String(record.spec.repeats)))
        if let slo = record.spec.slo { facts.append(("SLO", sloText(slo))) }
        facts.append(("statistics", IntervalText.note(trialsPerGroup: report.groups.map(\.trials.count))))
        facts.append(("generator", generatorSummary(record)))
        facts.append(("CPU", "\(fingerprint.cpuModel) · \(fingerprint.cores) cores"))
        facts.append(("memory", NumberText.bytes(fingerprint.memoryBytes)))
        facts.append(("kernel", fingerprint.kernel))
        facts.append(("stacklab", fingerprint.stacklabVersion))
        let versions = fingerprint.componentVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        facts.append(("components", versions.isEmpty ? "-" : versions.joined(separator: ", ")))
        facts.append(("pinning", fingerprint.pinning))
        if let catalog = report.catalog { facts.append(("pricing", catalogText(catalog))) }
        if let costs = report.workloads.first?.report.costs ?? report.costs {
            facts.append(("egress", egressText(costs)))
            if let allocation = allocationText(costs) { facts.append(("CPU priced", allocation)) }
        }
        if let verdict = recoveryVerdict(record) { facts.append(("backup and restore", verdict)) }
        return facts
    }

    /// Per offered rate: achieved rate, p50/p90/p99 with their intervals (``IntervalText``), errors, SLO and
    /// generator verdicts.
    public static func latency(_ report: RunReport, variant: String) -> ReportTable {
        let groups = report.groups(of: variant)
        let interval = IntervalText.header("", groups.map(\.p99))
        var table = ReportTable(
            header: [
                "offered", "achieved", "p50" + interval, "p90" + interval, "p99" + interval, "errors", "SLO",
                "generator", "n",
            ],
            alignments: [.right, .right, .right, .right, .right, .right, .left, .left, .right])
        for group in groups {
            table.rows.append([
                group.rateLabel,
                group.achieved.map { NumberText.rate($0.value) + "/s" } ?? "-",
                latencyText(group.p50), latencyText(group.p90), latencyText(group.p99),
                NumberText.percent(group.errorRate),
                group.sloVerdict,
                group.generatorVerdict,
                String(group.trials.count),
            ])
        }
        return table
    }

    /// One line per trial that measured nothing (``LoadResult/invalidity``): which one, and why.
    public static func invalidTrials(_ groups: [RunSummary.Group]) -> [String] {
        groups.flatMap { group in
            group.invalidTrials.map { entry in
                let workload = group.workload.map { "\($0) " } ?? ""
                return "invalid: \(workload)\(group.rateLabel) repeat \(entry.trial.repeatIndex): \(entry.reason)"
            }
        }
    }

    /// Per component and offered rate: CPU cores and memory, medians across repeats.
    public static func resources(_ report: RunReport, variant: String) -> ReportTable {
        var table = ReportTable(
            header: ["component", "offered", "CPU cores", "CPU µs/req", "mem avg", "mem peak"], alignments: [.left])
        for group in report.groups(of: variant) {
            let completed = Statistics.median(group.trials.map { Double($0.load.requests.completed) }) ?? 0
            let names = group.trials.first?.components.map(\.name) ?? []
            let rows: [(String, [ResourceUsage])] =
                names.enumerated().map { index, name in
                    (name, group.trials.compactMap { index < $0.components.count ? $0.components[index].usage : nil })
                } + [("stacklab (load)", group.trials.map(\.generator))]
            for (name, usages) in rows {
                let cpu = Statistics.median(usages.map(\.cpuSeconds)) ?? 0
                table.rows.append([
                    name, group.rateLabel,
                    DurationText.fixed(Statistics.median(usages.map(\.cores)) ?? 0, digits: 2),
                    completed > 0 ? DurationText.fixed(cpu * 1e6 / completed, digits: 1) : "-",
                    NumberText.bytes(Int(Statistics.median(usages.map { Double($0.averageRSSBytes) }) ?? 0)),
                    NumberText.bytes(Int(Statistics.median(usages.map { Double($0.peakRSSBytes) }) ?? 0)),
                ])
            }
        }
        return table
    }

    /// Per component and offered rate: usage and allocation cost per million requests (medians with their
    /// intervals), the dollars of the measured window, the components' compute on a row of its own, egress (named
    /// by the kind the experiment gives, `none` by default) apart from it, and a total row per rate. Nil when the
    /// report is not priced.
    public static func cost(_ report: RunReport, variant: String) -> ReportTable? {
        guard report.costs != nil else { return nil }
        // A messaging workload's cost is per million messages the broker acknowledged.
        let messages = report.groups(of: variant).contains { $0.trials.contains { $0.load.messaging != nil } }
        var table = ReportTable(
            header: [
                "component", "offered",
                (messages ? "$/M messages" : "$/M requests")
                    + IntervalText.header("", report.groups(of: variant).map(\.p99)),
                "allocation $/M", "usage $", "allocation $",
                "idle $",
            ],
            alignments: [.left])
        for group in report.groups(of: variant) {
            guard let cost = report.cost(of: group) else { continue }
            let trials = report.trialCosts(of: group)
            for share in cost.components {
                let parts = trials.compactMap { trial in trial.components.first { $0.name == share.name } }
                table.rows.append([
                    share.name, group.rateLabel, MoneyText.dollars(share.perMillionRequests),
                    MoneyText.dollars(share.allocationPerMillionRequests?.value ?? 0),
                    MoneyText.dollars(Statistics.median(parts.map(\.usage)) ?? 0),
                    MoneyText.dollars(Statistics.median(parts.map(\.allocation)) ?? 0),
                    MoneyText.dollars(Statistics.median(parts.map(\.idle)) ?? 0),
                ])
            }
            let compute = Statistics.median(trials.map(\.compute)) ?? 0
            let computeAllocation = Statistics.median(trials.map { $0.allocation - $0.egress }) ?? 0
            table.totalRows.insert(table.rows.count)
            table.rows.append([
                "compute", group.rateLabel, MoneyText.dollars(cost.computePerMillionRequests),
                MoneyText.dollars(
                    (cost.allocationPerMillionRequests?.value ?? 0) - (cost.egressPerMillionRequests?.value ?? 0)),
                MoneyText.dollars(compute), MoneyText.dollars(computeAllocation),
                MoneyText.dollars(computeAllocation - compute),
            ])
            let egress = Statistics.median(trials.map(\.egress)) ?? 0
            let egressKind = report.costs.map { $0.egress } ?? EgressKind.none
            table.rows.append([
                "egress (\(egressKind.rawValue))", group.rateLabel, MoneyText.dollars(cost.egressPerMillionRequests),
                MoneyText.dollars(cost.egressPerMillionRequests?.value ?? 0), MoneyText.dollars(egress),
                MoneyText.dollars(egress), MoneyText.dollars(0),
            ])
            let usage = Statistics.median(trials.map(\.usage)) ?? 0
            let allocation = Statistics.median(trials.map(\.allocation)) ?? 0
            table.totalRows.insert(table.rows.count)
            table.rows.append([
                "total", group.rateLabel, MoneyText.dollars(cost.perMillionRequests),
                MoneyText.dollars(cost.allocationPerMillionRequests?.value ?? 0), MoneyText.dollars(usage),
                MoneyText.dollars(allocation), MoneyText.dollars(allocation - usage),
            ])
        }
        return table
    }

    /// Per variant that swept rates: replicas and dollars to serve the target rate within the SLO. Where every rate
    /// tried met the SLO the capacity is a lower bound, so replicas and dollars are upper bounds (`≤`); a variant
    /// whose lowest rate failed gets a row that says so. Nil without capacity costs.
    public static func capacity(_ report: RunReport) -> ReportTable? {
        guard let capacity = report.costs?.capacity else { return nil }
        let failed = report.variants.filter { variant in
            report.groups(of: variant.name).count > 1 && !capacity.contains { $0.variant == variant.name }
        }.compactMap { variant in report.sweepLimit(of: variant.name).map { (variant.name, $0) } }
        guard !capacity.isEmpty || !failed.isEmpty else { return nil }
        var table = ReportTable(
            header: [
                "variant", "highest rate within SLO", "target rate", "headroom", "replicas", "vCPUs/replica",
                "$/replica-hour", "compute $/month", "egress $/month", "$/month", "$/M requests",
            ],
            alignments: [.left])
        for row in capacity {
            // A sweep whose top passed measured no limit: fewer replicas may do, so the plan is an upper bound.
            let atMost = row.isUpperBound ? "≤ " : ""
            table.rows.append([
                row.variant,
                row.isUpperBound
                    ? "≥ \(NumberText.rate(row.highestRateWithinSLO))/s (highest tried)"
                    : NumberText.rate(row.highestRateWithinSLO) + "/s",
                NumberText.rate(row.targetRate) + "/s",
                NumberText.percent(row.headroom, digits: 0),
                atMost + String(row.replicas),
                row.replicaVCPUs.map(cpuText) ?? "-",
                MoneyText.dollars(row.replicaDollarsPerHour),
                atMost
                    + MoneyText.dollars(row.computeDollarsPerMonth ?? row.dollarsPerMonth - row.egressDollarsPerMonth),
                MoneyText.dollars(row.egressDollarsPerMonth),
                atMost + MoneyText.dollars(row.dollarsPerMonth),
                atMost + MoneyText.dollars(row.perMillionRequests),
            ])
        }
        for (variant, limit) in failed {
            table.rows.append(
                [
                    variant, sweepLimitText(limit),
                    (report.costs.map { NumberText.rate($0.capacityOptions.targetRate) + "/s" } ?? "-"),
                ]
                    + Array(repeating: "-", count: 8))
        }
        return table
    }

    /// `812µs [790µs–830µs]`, `812µs (range 790µs–830µs)`, `812µs`, or `-` (``IntervalText``).
    public static func latencyText(_ estimate: Statistics.Estimate?) -> String {
        IntervalText.text(estimate, DurationText.micros)
    }

    /// `p99 ≤ 20.00ms, errors ≤ 0.10%`.
    public static func sloText(_ slo: ServiceLevelObjective) -> String {
        var parts = slo.latency.map { "\($0.percentile) ≤ \(DurationText.micros(Double($0.nanoseconds) / 1_000))" }
        if let errorRate = slo.errorRate { parts.append("errors ≤ \(NumberText.percent(errorRate, digits: 2))") }
        return parts.joined(separator: ", ")
    }

    /// `opencost-default (OpenCost default prices) · SOURCE · as of DATE · $0.0316/vCPU-h, …`.
    public static func catalogText(_ catalog: PriceCatalog) -> String {
        var text = "\(catalog.name) (\(catalog.title)) · \(catalog.source) · as of \(catalog.date) · "
        if let instance = catalog.instance {
            text += "\(instance.type) \(MoneyText.dollars(instance.dollarsPerHour))/h → "
        }
        text +=
            "\(MoneyText.dollars(catalog.cpuPerVCPUHour))/vCPU-h, \(MoneyText.dollars(catalog.memoryPerGiBHour))/GiB-h, "
        text += "\(MoneyText.dollars(catalog.egressPerGB))/GB internet egress"
        if let crossZone = catalog.crossZoneEgressPerGB { text += ", \(MoneyText.dollars(crossZone))/GB cross-zone" }
        if catalog.currency != "USD" { text += " (prices in \(catalog.currency))" }
        return text
    }
}
