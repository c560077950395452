/// The price-free facts of one trial: one variant, one workload, one repeat, at one offered rate.
///
/// Costs are never stored in place of these: they are computed from them when a run is read.
public struct TrialMeasurement: Sendable, Equatable, Codable {
    public var variant: String
    /// The name of the trial's workload in the experiment's `workloads:`; nil for a single `workload:`.
    public var workload: String?
    /// 1-based.
    public var repeatIndex: Int
    /// The offered rate of this trial (requests per second), nil for closed loop and ramps.
    public var offeredRate: Double?
    public var load: LoadResult
    /// Each component's resource use over the measured window, in stack order.
    public var components: [ComponentMeasurement]
    /// The load generator's own resource use over the same window.
    public var generator: ResourceUsage
    /// The corrected latency histogram of the measured window, to recompute percentiles and merge repeats.
    public var latencyHistogram: EncodedHistogram?
    /// The service-time histogram of the measured window.
    public var serviceTimeHistogram: EncodedHistogram?

    public init(
        variant: String, repeatIndex: Int, offeredRate: Double?, load: LoadResult, components: [ComponentMeasurement],
        generator: ResourceUsage, latencyHistogram: EncodedHistogram? = nil,
        serviceTimeHistogram: EncodedHistogram? = nil, workload: String? = nil
    ) {
        self.variant = variant
        self.workload = workload
        self.repeatIndex = repeatIndex
        self.offeredRate = offeredRate
        self.load = load
        self.components = components
        self.generator = generator
        self.latencyHistogram = latencyHistogram
        self.serviceTimeHistogram = serviceTimeHistogram
    }
}

/// One component's resource use during a trial.
public struct ComponentMeasurement: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    public var usage: ResourceUsage
    /// Bytes the component keeps on disk (a database's data directory) at the end of the trial; nil when it
    /// keeps nothing that is priced as storage.
    public var storedBytes: Int?
    /// What a metrics backend ingested over the trial's window; nil for other components (and in runs recorded
    /// before StackLab read it).
    public var ingestion: MetricsIngestion?
    /// What the component's own cgroup counted over the window, with its limits; nil where StackLab could not
    /// make its cgroups (and in runs recorded before it did).
    public var cgroup: CgroupUsage?

    public init(
        name: String, kind: String, usage: ResourceUsage, storedBytes: Int? = nil, ingestion: MetricsIngestion? = nil,
        cgroup: CgroupUsage? = nil
    ) {
        self.name = name
        self.kind = kind
        self.usage = usage
        self.storedBytes = storedBytes
        self.ingestion = ingestion
        self.cgroup = cgroup
    }
}

extension TrialMeasurement {
    /// The highest offered rate below which every tried rate met every objective of the SLO, and it too; nil when
    /// no rate was measured under an SLO or the lowest one failed (``SweepLimit``).
    public static func highestRateWithinSLO(_ trials: [TrialMeasurement]) -> Double? {
        SweepLimit(trials)?.highestRateWithinSLO
    }
}
