import StackLabCore

/// Everything a report shows about one run: the record, its trials grouped by variant and offered rate, and,
/// when a price catalog is given, its costs.
///
/// A run of several workloads (`workloads:`) is reported workload by workload: ``workloads`` holds one report per
/// workload, of that workload's trials only, and the costs, layers and knees of the run are theirs.
///
/// Every renderer is a pure function of this value, so one run renders the same way wherever it is read from.
public struct RunReport: Sendable {
    /// The report of one workload of a run with several.
    public struct WorkloadReport: Sendable {
        /// The workload's name in the experiment's `workloads:`.
        public var name: String
        /// The run as if the experiment had only this workload (``RunRecord/only(workload:)``).
        public var report: RunReport
    }

    public var record: RunRecord
    /// Trials of one variant (and workload) at one offered rate, in the order they ran.
    public var groups: [RunSummary.Group]
    /// The run priced with a catalog; nil when the report leaves costs out. With several workloads it holds the
    /// catalog only: each workload's report holds that workload's costs.
    public var costs: RunCosts?
    /// What each variant adds to the first, and what TLS adds; computed once, shown by several tables.
    public var layers: LayerComparison
    /// What the mesh variants cost against the baseline, and each mesh premium on its own.
    public var mesh: MeshComparison
    /// One report per workload, in the experiment's order, when it has several; empty for a single `workload:`.
    public var workloads: [WorkloadReport]

    /// A report of `record`, priced with `catalog` when one is given; `capacity` sets the target rate and
    /// headroom of the capacity table.
    public init(record: RunRecord, catalog: PriceCatalog? = nil, capacity: CapacityOptions = .init()) {
        self.record = record
        self.groups = RunSummary.groups(record)
        // A workload with no trial (none of the variants run speaks it, as with `--variant`) has nothing to show.
        let measured = Set(record.trials.compactMap(\.workload))
        self.workloads = (record.spec.workloads ?? []).filter { measured.contains($0.name) }.compactMap { named in
            record.only(workload: named.name).map {
                // Apps and drills belong to the run, not to one workload: the run's report shows them once.
                var part = $0
                part.apps = nil
                part.recoveries = nil
                return WorkloadReport(
                    name: named.name, report: RunReport(record: part, catalog: catalog, capacity: capacity))
            }
        }
        // Groups, knees and costs mean something within one workload only; across workloads they are left to
        // each workload's report.
        var priced = record
        if !workloads.isEmpty { priced.trials = [] }
        self.costs = catalog.map { RunCosts.price(priced, catalog: $0, capacity: capacity) }
        self.layers = LayerComparison(priced, costs: costs)
        self.mesh = MeshComparison(priced, costs: costs)
    }

    /// The report of the workload a group or trial belongs to, in a run of several workloads.
    private func workloadReport(_ name: String?) -> RunReport? {
        guard !workloads.isEmpty, let name else { return nil }
        return workloads.first { $0.name == name }?.report
    }

    /// The catalog the costs were priced with.
    public var catalog: PriceCatalog? { costs?.catalog }

    /// Variants that have trials, in the order the experiment lists them, then any the spec does not list.
    public var variants: [Variant] {
        let listed = record.spec.variants.filter { variant in groups.contains { $0.variant == variant.name } }
        let unlisted = groups.map(\.variant).filter { name in !listed.contains { $0.name == name } }
        var seen: Set<String> = []
        return listed + unlisted.filter { seen.insert($0).inserted }.map { Variant(name: $0, stack: []) }
    }

    /// The groups of one variant, in the order they ran.
    public func groups(of variant: String) -> [RunSummary.Group] {
        groups.filter { $0.variant == variant }
    }

    /// True when some variant ran at more than one offered rate.
    public var isSweep: Bool {
        variants.contains { variant in Set(groups(of: variant.name).compactMap(\.offeredRate)).count > 1 }
    }

    /// What the sweep of `variant` says about its capacity under the SLO (``SweepLimit``); with several workloads,
    /// each workload's report has its own.
    public func sweepLimit(of variant: String) -> SweepLimit? {
        guard workloads.isEmpty else { return nil }
        return SweepLimit(record.trials.filter { $0.variant == variant })
    }

    /// The limit a report states under `variant`'s table: with an SLO, and several rates or a capacity search
    /// (whose one failed rate is a finding too); nil otherwise.
    public func statedLimit(of variant: String) -> SweepLimit? {
        let searched = record.spec.trialWorkloads.contains { $0.workload.isSearch }
        guard record.spec.slo != nil, groups(of: variant).count > 1 || searched else { return nil }
        return sweepLimit(of: variant)
    }

    /// The knee of the sweep of `variant`: the highest rate within the SLO when a higher rate failed it; nil when
    /// none was within it, or when every rate tried was (the sweep then found no limit).
    public func knee(of variant: String) -> Double? {
        guard let limit = sweepLimit(of: variant), !limit.isLowerBound else { return nil }
        return limit.highestRateWithinSLO
    }

    /// The SLO's p99 ceiling in microseconds, if it has one.
    public var sloP99Micros: Double? {
        record.spec.slo?.latency.first { $0.percentile == "p99" }.map { Double($0.nanoseconds) / 1_000 }
    }

    /// The cost of one group, when the report is priced.
    public func cost(of group: RunSummary.Group) -> GroupCost? {
        if let report = workloadReport(group.workload) { return report.cost(of: group) }
        return costs?.groups.first { $0.variant == group.variant && $0.offeredRate == group.offeredRate }
    }

    /// The cost of each trial of one group, when the report is priced.
    public func trialCosts(of group: RunSummary.Group) -> [TrialCost] {
        if let report = workloadReport(group.workload) { return report.trialCosts(of: group) }
        return costs?.trials.filter { $0.variant == group.variant && $0.offeredRate == group.offeredRate } ?? []
    }

    /// The cost of one trial, when the report is priced.
    public func cost(of trial: TrialMeasurement) -> TrialCost? {
        if let report = workloadReport(trial.workload) { return report.cost(of: trial) }
        return costs?.trials.first {
            $0.variant == trial.variant && $0.offeredRate == trial.offeredRate && $0.repeatIndex == trial.repeatIndex
        }
    }
}
