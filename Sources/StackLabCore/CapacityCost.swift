import Foundation

/// What a production deployment of a variant would cost to serve a target rate within the SLO.
public struct CapacityOptions: Sendable, Equatable, Codable {
    /// The rate to plan for, requests per second.
    public var targetRate: Double
    /// The share of a replica's measured capacity to plan on (0.7 leaves 30% headroom).
    public var headroom: Double

    public init(targetRate: Double = 10_000, headroom: Double = 0.7) {
        self.targetRate = targetRate
        self.headroom = headroom
    }
}

/// Capacity cost from a rate sweep: replicas needed for a target rate under the SLO, priced per month.
///
/// A replica is one copy of the variant's whole stack. With an instance-based catalog it costs the share of one
/// instance that the CPUs the stack was measured on are (all of it when they are as many as the instance's vCPUs);
/// otherwise it costs the CPU and memory it reserved or used at its
/// highest rate within the SLO, whichever is more, at the catalog's $/vCPU-h and $/GiB-h, with CPU never more than
/// the CPUs the stack really shared when it was measured (``CPUAllocation``). Egress is priced apart, at the run's
/// egress price (nothing for a loopback lab unless the experiment says what traffic the responses are).
public struct CapacityCost: Sendable, Equatable, Codable {
    public var variant: String
    /// The highest offered rate at and below which every repeat met every objective of the SLO (``SweepLimit``).
    public var highestRateWithinSLO: Double
    /// True when every rate tried met the SLO: `highestRateWithinSLO` is the top of the sweep, a lower bound on a
    /// replica's capacity, so `replicas` and the dollars are upper bounds.
    public var isUpperBound: Bool
    public var targetRate: Double
    public var headroom: Double
    /// ceil(target / (headroom × highest rate within the SLO)).
    public var replicas: Int
    public var replicaDollarsPerHour: Double
    /// The vCPUs one replica is priced for: its allocation, capped at the CPUs the stack shared when measured (the
    /// instance's vCPUs with an instance-based catalog).
    public var replicaVCPUs: Double?
    /// The CPUs the stack's components shared when measured; nil in costs computed before it was kept.
    public var sharedCPUs: Int?
    /// replicas × replica price × 730 h: CPU and memory, egress apart.
    public var computeDollarsPerMonth: Double?
    /// Egress of the target rate's responses, per month, at the run's egress price.
    public var egressDollarsPerMonth: Double
    /// compute + egress, per month.
    public var dollarsPerMonth: Double
    /// The month's cost over the month's requests at the target rate, × 1e6.
    public var perMillionRequests: Double

    /// Plans one variant from its trials; nil without an SLO result, or when the lowest offered rate failed the SLO.
    ///
    /// - Parameters:
    ///   - requests: each component's declared CPU and memory requests, by name, as the experiment gives them.
    ///   - allocation: the CPUs the stack shared when measured; requests beyond them are scaled down to them.
    ///   - egressPerGB: the price of the bytes served (0 for no egress).
    public init?(
        variant: String, trials: [TrialMeasurement], requests: [String: Resources.Amounts], catalog: PriceCatalog,
        options: CapacityOptions, allocation: CPUAllocation? = nil, egressPerGB: Double = 0
    ) {
        guard let limit = SweepLimit(trials), let rate = limit.highestRateWithinSLO, rate > 0, options.headroom > 0
        else { return nil }
        let atRate = trials.filter { $0.offeredRate == rate }
        self.variant = variant
        highestRateWithinSLO = rate
        isUpperBound = limit.isLowerBound
        targetRate = options.targetRate
        headroom = options.headroom
        replicas = max(1, Int((options.targetRate / (options.headroom * rate)).rounded(.up)))
        sharedCPUs = allocation?.sharedCPUs
        let requests = allocation?.scaled(requests) ?? requests
        if let instance = catalog.instance {
            // The share of the instance the stack had: one of an m7i.large's two vCPUs is half of it.
            let share = allocation.map { min(1, Double($0.sharedCPUs) / instance.vcpus) } ?? 1
            replicaDollarsPerHour = instance.dollarsPerHour * share
            replicaVCPUs = instance.vcpus * share
        } else {
            var cores = 0.0
            var gib = 0.0
            for name in Set(atRate.flatMap { $0.components.map(\.name) }) {
                let usages = atRate.compactMap { $0.components.first(where: { $0.name == name })?.usage }
                let usedCores = Statistics.median(usages.map(\.cores)) ?? 0
                let peakGiB = Double(usages.map(\.peakRSSBytes).max() ?? 0) / 1_073_741_824
                cores += max(requests[name]?.cpu ?? 0, usedCores)
                gib += max(Double(requests[name]?.memory ?? 0) / 1_073_741_824, peakGiB)
            }
            // The components shared these CPUs: together they never had more.
            if let shared = allocation?.sharedCPUs { cores = min(cores, Double(shared)) }
            replicaVCPUs = cores
            replicaDollarsPerHour = cores * catalog.cpuPerVCPUHour + gib * catalog.memoryPerGiBHour
        }
        let secondsPerMonth = PriceCatalog.hoursPerMonth * 3_600
        let bytesPerRequest =
            Statistics.median(
                atRate.compactMap {
                    $0.load.requests.completed > 0
                        ? Double($0.load.requests.bytesReceived) / Double($0.load.requests.completed) : nil
                }) ?? 0
        egressDollarsPerMonth = bytesPerRequest * options.targetRate * secondsPerMonth / 1e9 * egressPerGB
        let compute = Double(replicas) * replicaDollarsPerHour * PriceCatalog.hoursPerMonth
        computeDollarsPerMonth = compute
        dollarsPerMonth = compute + egressDollarsPerMonth
        perMillionRequests = dollarsPerMonth / (options.targetRate * secondsPerMonth / 1e6)
    }
}
