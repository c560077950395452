import StackLabCore

/// One replica of a variant as a stored run measured it: its curve, what it requests and how long it takes to start.
public struct ReplicaProfile: Sendable, Equatable {
    public var variant: String
    /// The workload whose trials made the curve; nil for a run of one.
    public var workload: String?
    /// The components a replica is: the variant's app components, or its whole stack when it has none.
    public var components: [String]
    public var curve: ReplicaCurve
    /// The CPU request per replica, cores; nil when the experiment declares none.
    public var cpuRequest: Double?
    /// The memory request per replica, bytes; nil when the experiment declares none.
    public var memoryRequest: Int?
    /// The highest memory any measured trial saw, bytes.
    public var peakMemory: Int
    /// The median measured cold start, seconds; nil when the run did not measure one.
    public var coldStartSeconds: Double?

    public init(
        variant: String, workload: String? = nil, components: [String], curve: ReplicaCurve, cpuRequest: Double? = nil,
        memoryRequest: Int? = nil, peakMemory: Int = 0, coldStartSeconds: Double? = nil
    ) {
        self.variant = variant
        self.workload = workload
        self.components = components
        self.curve = curve
        self.cpuRequest = cpuRequest
        self.memoryRequest = memoryRequest
        self.peakMemory = peakMemory
        self.coldStartSeconds = coldStartSeconds
    }

    /// The profile of `variant` (the first variant when nil) under `workload` (the first of a run of several when
    /// nil) from a stored run.
    ///
    /// - Throws: `UserError` when the variant or workload does not exist, has no trials at an offered rate, was not
    ///   run under an SLO, or failed the SLO at its lowest rate (no capacity to plan with).
    public init(run: RunRecord, variant: String?, workload: String? = nil) throws {
        let workloads = run.spec.workloads?.map(\.name) ?? []
        let workload = workload ?? workloads.first
        if let workload, !workloads.contains(workload) {
            throw UserError(
                workloads.isEmpty
                    ? "run \(run.id) has one workload; drop --workload"
                    : "run \(run.id) has no workload '\(workload)'; its workloads: \(workloads.joined(separator: ", "))"
            )
        }
        let names = run.spec.variants.map(\.name)
        let name = variant ?? names.first ?? ""
        guard names.contains(name) else {
            throw UserError("run \(run.id) has no variant '\(name)'; its variants: \(names.joined(separator: ", "))")
        }
        let trials = run.trials.filter { $0.variant == name && $0.offeredRate != nil && $0.workload == workload }
        guard !trials.isEmpty else {
            throw UserError(
                "variant '\(name)' of run \(run.id) has no trials at an offered rate; plan needs a rate sweep")
        }
        guard let limit = SweepLimit(trials) else {
            throw UserError("run \(run.id) has no SLO; plan needs an experiment with 'slo:' (a p99 limit)")
        }
        guard let capacity = limit.highestRateWithinSLO, capacity > 0 else {
            throw UserError(
                "variant '\(name)' failed the SLO at its lowest rate (\(Int(limit.highestTried))/s tried): "
                    + "no capacity to plan with")
        }
        let apps = Set(run.spec.components.filter { $0.kind.role == .app }.map(\.name))
        let measured = Array(Set(trials.flatMap { $0.components.map(\.name) })).sorted()
        let replica = measured.contains(where: apps.contains) ? measured.filter(apps.contains) : measured
        let points = Dictionary(grouping: trials, by: { $0.offeredRate! }).map { rate, repeats in
            let cores = repeats.map { trial in
                trial.components.filter { replica.contains($0.name) }.reduce(0) { $0 + $1.usage.cores }
            }
            return ReplicaCurve.Point(
                rate: rate, p99: Statistics.median(repeats.map(\.load.latency.p99)) ?? 0,
                cores: Statistics.median(cores) ?? 0)
        }
        let declared = run.spec.components.filter { replica.contains($0.name) }.compactMap(\.resources)
        let p99Limit = run.spec.slo?.latency.first { $0.percentile == "p99" }.map { Double($0.nanoseconds) / 1_000 }
        let limits = declared.compactMap(\.limits.cpu)
        let curve = ReplicaCurve(
            points: points, capacity: capacity, capacityIsLowerBound: limit.isLowerBound, p99Limit: p99Limit,
            cpuLimit: limits.count == declared.count && !limits.isEmpty ? limits.reduce(0, +) : nil)
        let cpu = declared.compactMap(\.requests.cpu)
        let memory = declared.compactMap(\.requests.memory)
        let peak = trials.map { trial in
            trial.components.filter { replica.contains($0.name) }.reduce(0) { $0 + $1.usage.peakRSSBytes }
        }
        self.init(
            variant: name, workload: workload, components: replica, curve: curve,
            cpuRequest: cpu.isEmpty ? nil : cpu.reduce(0, +),
            memoryRequest: memory.isEmpty ? nil : memory.reduce(0, +), peakMemory: peak.max() ?? 0,
            coldStartSeconds: run.apps?.first { $0.variant == name && replica.contains($0.component) }?.coldStartMedian)
    }
}
