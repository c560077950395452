/// A stored run priced with one catalog: per trial, per variant and rate, and capacity at the SLO.
///
/// Computed when a run is read, never stored: the same run can be priced with any catalog.
public struct RunCosts: Sendable, Equatable, Codable {
    public var catalog: PriceCatalog
    public var capacityOptions: CapacityOptions
    /// In the order the trials ran.
    public var trials: [TrialCost]
    /// Per variant and offered rate, in the order they first ran.
    public var groups: [GroupCost]
    /// Per variant that swept rates under an SLO and met it at one of them at least.
    public var capacity: [CapacityCost]

    /// Prices every trial of `record` with `catalog`.
    public static func price(
        _ record: RunRecord, catalog: PriceCatalog, capacity options: CapacityOptions = .init()
    ) -> RunCosts {
        var requests: [String: Resources.Amounts] = [:]
        for component in record.spec.components {
            if let amounts = component.resources?.requests, !amounts.isEmpty { requests[component.name] = amounts }
        }
        let trials = record.trials.map { TrialCost($0, requests: requests, catalog: catalog) }
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
        var variants: [String] = []
        for trial in record.trials where !variants.contains(trial.variant) { variants.append(trial.variant) }
        let capacity = variants.compactMap { variant -> CapacityCost? in
            let measured = record.trials.filter { $0.variant == variant }
            guard Set(measured.compactMap(\.offeredRate)).count > 1 else { return nil }
            return CapacityCost(
                variant: variant, trials: measured, requests: requests, catalog: catalog, options: options)
        }
        return RunCosts(
            catalog: catalog, capacityOptions: options, trials: trials, groups: groups, capacity: capacity)
    }
}
