import StackLabCore

/// The tables `stacklab run` prints when an experiment ends: per variant and offered rate, latency with its
/// interval across repeats (``IntervalText``), errors, the SLO and generator verdicts, and each component's resources.
public enum RunSummary {
    /// Trials of one variant at one offered rate, summarised across repeats.
    public struct Group: Sendable {
        public var variant: String
        public var offeredRate: Double?
        public var trials: [TrialMeasurement]
        /// The workload's name when the experiment has several (`workloads:`); nil for a single `workload:`.
        public var workload: String? = nil

        public var achieved: Statistics.Estimate? { estimate { $0.load.achievedRate } }
        public var p50: Statistics.Estimate? { estimate { $0.load.latency.p50 } }
        public var p90: Statistics.Estimate? { estimate { $0.load.latency.p90 } }
        public var p99: Statistics.Estimate? { estimate { $0.load.latency.p99 } }
        public var errorRate: Double { Statistics.median(trials.map(\.load.errorRate)) ?? 0 }

        /// Every trial met every objective of the SLO; nil without an SLO.
        public var meetsSLO: Bool? {
            guard trials.contains(where: { !$0.load.thresholds.isEmpty }) else { return nil }
            return trials.allSatisfy { $0.load.thresholds.allSatisfy(\.passed) && $0.load.invalidity == nil }
        }

        func estimate(_ value: (TrialMeasurement) -> Double) -> Statistics.Estimate? {
            Statistics.medianWithInterval(trials.map(value))
        }
    }

    /// Trials grouped by variant, workload and offered rate, in the order they ran.
    public static func groups(_ record: RunRecord) -> [Group] {
        var groups: [Group] = []
        for trial in record.trials {
            if let index = groups.firstIndex(where: {
                $0.variant == trial.variant && $0.offeredRate == trial.offeredRate && $0.workload == trial.workload
            }) {
                groups[index].trials.append(trial)
            } else {
                groups.append(
                    Group(
                        variant: trial.variant, offeredRate: trial.offeredRate, trials: [trial],
                        workload: trial.workload))
            }
        }
        // A capacity search tries its rates out of order (up, then back down into the bracket): each variant's
        // and workload's rates read from low to high, the closed loop last, as a sweep's do.
        let order = groups.map { "\($0.variant) \($0.workload ?? "")" }
        func position(_ group: Group) -> Int { order.firstIndex(of: "\(group.variant) \(group.workload ?? "")")! }
        return groups.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            guard position(a) == position(b) else { return position(a) < position(b) }
            let (x, y) = (a.offeredRate ?? .infinity, b.offeredRate ?? .infinity)
            return x == y ? left.offset < right.offset : x < y
        }.map(\.element)
    }

    /// The highest offered rate of `variant` at and below which every repeat met the SLO (``SweepLimit``).
    public static func highestRateWithinSLO(_ record: RunRecord, variant: String) -> Double? {
        TrialMeasurement.highestRateWithinSLO(record.trials.filter { $0.variant == variant })
    }

    /// What the sweep of `variant` says about its capacity under the SLO.
    public static func sweepLimit(_ record: RunRecord, variant: String) -> SweepLimit? {
        SweepLimit(record.trials.filter { $0.variant == variant })
    }

    public static func render(_ record: RunRecord) -> String {
        var lines: [String] = []
        let spec = record.spec
        lines.append(
            "stacklab run \(spec.name) · \(record.status.rawValue) · \(record.trials.count) trials · run \(record.id)")
        let fingerprint = record.fingerprint
        lines.append(
            "  \(fingerprint.cpuModel) · \(fingerprint.cores) cores · \(NumberText.bytes(fingerprint.memoryBytes)) · "
                + fingerprint.kernel)
        lines.append("  \(fingerprint.pinning)")
        if let workloads = spec.workloads {
            for named in workloads { lines.append("  workload \(named.name): \(named.workload.summary)") }
        } else {
            lines.append("  workload: \(spec.workload.summary)")
        }
        if let slo = spec.slo { lines.append("  SLO: " + sloText(slo)) }
        lines.append("  " + IntervalText.note(trialsPerGroup: groups(record).map(\.trials.count)))
        lines.append("  generator: " + ReportTables.generatorSummary(record))
        if let reason = record.abortReason { lines.append("  aborted: \(reason)") }
        if let verdict = ReportTables.recoveryVerdict(record) { lines.append("  backup and restore: \(verdict)") }

        for variant in spec.variants {
            let variantGroups = groups(record).filter { $0.variant == variant.name }
            guard !variantGroups.isEmpty else { continue }
            lines.append("")
            lines.append("variant \(variant.name): " + variant.stack.joined(separator: " → "))
            var table = TextTable()
            let interval = IntervalText.header("", variantGroups.map(\.p99))
            table.add([
                "offered", "achieved", "p50" + interval, "p90" + interval, "p99" + interval, "errors", "SLO",
                "generator", "n",
            ])
            for group in variantGroups {
                table.add([
                    group.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max",
                    group.achieved.map { NumberText.rate($0.value) + "/s" } ?? "-",
                    ReportTables.latencyText(group.p50), ReportTables.latencyText(group.p90),
                    ReportTables.latencyText(group.p99),
                    NumberText.percent(group.errorRate),
                    group.sloVerdict,
                    group.generatorVerdict,
                    String(group.trials.count),
                ])
            }
            lines.append(table.render())
            lines += ReportTables.invalidTrials(variantGroups).map { "  " + $0 }
            let searched = spec.trialWorkloads.contains { $0.workload.isSearch }
            if spec.slo != nil, variantGroups.count > 1 || searched,
                let limit = sweepLimit(record, variant: variant.name)
            {
                lines.append("  " + ReportTables.sweepLimitLine(limit))
            }
            lines.append("")
            lines.append(resourceTable(variantGroups))
        }
        return lines.joined(separator: "\n")
    }

    private static func resourceTable(_ groups: [Group]) -> String {
        var table = TextTable()
        table.add([
            "resources (median)", "offered", "CPU cores", "CPU µs/req", "mem avg", "mem peak", "disk read",
            "disk write",
        ])
        for group in groups {
            let names = group.trials.first?.components.map(\.name) ?? []
            let rows: [(String, [ResourceUsage])] =
                names.enumerated().map { index, name in (name, group.trials.map { $0.components[index].usage }) }
                + [("stacklab (load)", group.trials.map(\.generator))]
            for (name, usages) in rows {
                let completed = Statistics.median(group.trials.map { Double($0.load.requests.completed) }) ?? 0
                let cpu = Statistics.median(usages.map(\.cpuSeconds)) ?? 0
                func median(_ value: (ResourceUsage) -> Int) -> Int {
                    Int(Statistics.median(usages.map { Double(value($0)) }) ?? 0)
                }
                table.add([
                    "  " + name,
                    group.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max",
                    DurationText.fixed(Statistics.median(usages.map(\.cores)) ?? 0, digits: 2),
                    completed > 0 ? DurationText.fixed(cpu * 1e6 / completed, digits: 1) : "-",
                    NumberText.bytes(median(\.averageRSSBytes)),
                    NumberText.bytes(median(\.peakRSSBytes)),
                    NumberText.bytes(median(\.diskReadBytes)),
                    NumberText.bytes(median(\.diskWriteBytes)),
                ])
            }
        }
        return table.render()
    }

    private static func sloText(_ slo: ServiceLevelObjective) -> String {
        var parts = slo.latency.map { "\($0.percentile) ≤ \(DurationText.micros(Double($0.nanoseconds) / 1_000))" }
        if let errorRate = slo.errorRate { parts.append("errors ≤ \(NumberText.percent(errorRate, digits: 2))") }
        return parts.joined(separator: ", ")
    }
}
