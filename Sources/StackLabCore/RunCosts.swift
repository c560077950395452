/// A stored run priced with one catalog: per trial, per variant and rate, and capacity at the SLO.
///
/// Computed when a run is read, never stored: the same run can be priced with any catalog.
public struct RunCosts: Sendable, Equatable, Codable {
    public var catalog: PriceCatalog
    public var capacityOptions: CapacityOptions
    /// What the bytes served were priced as: the experiment's `egress:`, ``EgressKind/none`` when it has none.
    public var egress: EgressKind
    /// The $/GB the bytes served were priced at: 0 for no egress, and when the catalog has no price for the kind.
    public var egressPerGB: Double
    /// The CPUs each variant's stack shared when measured and what its CPU requests were priced as, by variant.
    public var allocations: [String: CPUAllocation]
    /// In the order the trials ran.
    public var trials: [TrialCost]
    /// Per variant and offered rate, in the order they first ran.
    public var groups: [GroupCost]
    /// Per variant that swept rates under an SLO and met it at one of them at least.
    public var capacity: [CapacityCost]

    /// True when the experiment asks for an egress kind the catalog gives no price for: it is then not priced.
    public var egressUnpriced: Bool { catalog.egressPerGB(for: egress) == nil }

    /// Prices every trial of `record` with `catalog`.
    public static func price(
        _ record: RunRecord, catalog: PriceCatalog, capacity options: CapacityOptions = .init()
    ) -> RunCosts {
        var requests: [String: Resources.Amounts] = [:]
        for component in record.spec.components {
            if let amounts = component.resources?.requests, !amounts.isEmpty { requests[component.name] = amounts }
        }
        let egress = record.spec.egress ?? EgressKind.none
        let egressPerGB = catalog.egressPerGB(for: egress) ?? 0
        var variants: [String] = []
        for trial in record.trials where !variants.contains(trial.variant) { variants.append(trial.variant) }
        let sharedCPUs = record.fingerprint.sharedComponentCPUs
        var allocations: [String: CPUAllocation] = [:]
        for variant in variants {
            let stack =
                record.spec.variants.first { $0.name == variant }?.stack
                ?? record.trials.first { $0.variant == variant }?.components.map(\.name) ?? []
            allocations[variant] = CPUAllocation(components: stack, requests: requests, sharedCPUs: sharedCPUs)
        }
        let trials = record.trials.map {
            TrialCost(
                $0, requests: allocations[$0.variant]?.scaled(requests) ?? requests, catalog: catalog,
                egressPerGB: egressPerGB)
        }
        var keys: [(variant: String, rate: Double?)] = []
        for trial in trials where !keys.contains(where: { $0.variant == trial.variant && $0.rate == trial.offeredRate })
        {
            keys.append((trial.variant, trial.offeredRate))
        }
        let groups = keys.map { key in
            GroupCost(
                variant: key.variant, offeredRate: key.rate,
                trials: trials.filter { $0.variant == key.variant && $0.offeredRate == key.rate })
        }
        let capacity = variants.compactMap { variant -> CapacityCost? in
            let measured = record.trials.filter { $0.variant == variant }
            guard Set(measured.compactMap(\.offeredRate)).count > 1 else { return nil }
            return CapacityCost(
                variant: variant, trials: measured, requests: requests, catalog: catalog, options: options,
                allocation: allocations[variant], egressPerGB: egressPerGB)
        }
        return RunCosts(
            catalog: catalog, capacityOptions: options, egress: egress, egressPerGB: egressPerGB,
            allocations: allocations, trials: trials, groups: groups, capacity: capacity)
    }
}
