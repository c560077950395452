import StackLabCore

// Stand-ins for the cost model being written in StackLabCore, with the same names and fields, so the reports
// can be written and tested before it lands. This file is deleted when main (with the cost model) is merged.

/// Prices of one catalog.
public struct PriceCatalog: Sendable, Equatable {
    public var name: String
    public var title: String
    public var source: String
    public var date: String
    public var cpuPerVCPUHour: Double
    public var memoryPerGiBHour: Double
    public var storagePerGBMonth: Double
    public var egressPerGB: Double
}

/// The shipped catalogs.
public enum PriceCatalogs {
    public static let defaultName = "opencost-default"

    public static func load(nameOrPath: String) throws -> PriceCatalog {
        guard nameOrPath == defaultName else { throw UserError("no price catalog named \(nameOrPath)") }
        return PriceCatalog(
            name: defaultName, title: "OpenCost default prices", source: "https://www.opencost.io/docs/",
            date: "2024-01-01", cpuPerVCPUHour: 0.031611, memoryPerGiBHour: 0.004237, storagePerGBMonth: 0.04,
            egressPerGB: 0.12)
    }
}

/// How capacity cost is planned.
public struct CapacityOptions: Sendable, Equatable {
    public init() {}
}

/// One component's cost in one trial, dollars.
public struct ComponentCost: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var cpu: Double
    public var memory: Double
    public var storage: Double
    public var egress: Double
    public var usage: Double
    public var allocation: Double
    public var idle: Double
    public var perMillionRequests: Double?
}

/// One trial's cost.
public struct TrialCost: Sendable, Equatable {
    public var variant: String
    public var repeatIndex: Int
    public var offeredRate: Double?
    public var requests: Int
    public var components: [ComponentCost]
    public var usage: Double
    public var allocation: Double
    public var perMillionRequests: Double?
}

/// One component's share of a group's cost.
public struct ComponentShare: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var perMillionRequests: Statistics.Estimate?
}

/// A variant's cost at one offered rate, across repeats.
public struct GroupCost: Sendable, Equatable {
    public var variant: String
    public var offeredRate: Double?
    public var perMillionRequests: Statistics.Estimate?
    public var components: [ComponentShare]
}

/// What serving a target rate within the SLO costs.
public struct CapacityCost: Sendable, Equatable {
    public var variant: String
    public var highestRateWithinSLO: Double?
    public var targetRate: Double
    public var headroom: Double
    public var replicas: Int
    public var replicaDollarsPerHour: Double
    public var dollarsPerMonth: Double
    public var perMillionRequests: Double
}

/// A run priced with a catalog.
public struct RunCosts: Sendable, Equatable {
    public var trials: [TrialCost]
    public var groups: [GroupCost]
    public var capacity: [CapacityCost]

    public static func price(
        _ record: RunRecord, catalog: PriceCatalog, capacity options: CapacityOptions = .init()
    ) -> RunCosts {
        let trials = record.trials.map { trial -> TrialCost in
            let requests = trial.load.requests.completed
            let components = trial.components.map { component -> ComponentCost in
                let cpu = component.usage.cpuSeconds * catalog.cpuPerVCPUHour / 3_600
                let memory = component.usage.memoryGiBSeconds * catalog.memoryPerGiBHour / 3_600
                let usage = cpu + memory
                let request = record.spec.component(named: component.name)?.resources?.requests.cpu ?? 0
                let allocation = max(
                    usage, cpu + request * component.usage.wallSeconds * catalog.cpuPerVCPUHour / 3_600)
                return ComponentCost(
                    name: component.name, kind: component.kind, cpu: cpu, memory: memory, storage: 0, egress: 0,
                    usage: usage, allocation: allocation, idle: allocation - usage,
                    perMillionRequests: requests > 0 ? usage * 1e6 / Double(requests) : nil)
            }
            let usage = components.reduce(0) { $0 + $1.usage }
            return TrialCost(
                variant: trial.variant, repeatIndex: trial.repeatIndex, offeredRate: trial.offeredRate,
                requests: requests, components: components, usage: usage,
                allocation: components.reduce(0) { $0 + $1.allocation },
                perMillionRequests: requests > 0 ? usage * 1e6 / Double(requests) : nil)
        }
        var groups: [GroupCost] = []
        for trial in trials
        where !groups.contains(where: { $0.variant == trial.variant && $0.offeredRate == trial.offeredRate }) {
            let members = trials.filter { $0.variant == trial.variant && $0.offeredRate == trial.offeredRate }
            groups.append(
                GroupCost(
                    variant: trial.variant, offeredRate: trial.offeredRate,
                    perMillionRequests: Statistics.medianWithInterval(members.compactMap(\.perMillionRequests)),
                    components: trial.components.enumerated().map { index, component in
                        ComponentShare(
                            name: component.name, kind: component.kind,
                            perMillionRequests: Statistics.medianWithInterval(
                                members.compactMap { $0.components[index].perMillionRequests }))
                    }))
        }
        let capacity = record.spec.variants.compactMap { variant -> CapacityCost? in
            guard let best = RunSummary.highestRateWithinSLO(record, variant: variant.name),
                let group = groups.first(where: { $0.variant == variant.name && $0.offeredRate == best }),
                let perMillion = group.perMillionRequests?.value
            else { return nil }
            let hourly = perMillion * best * 3_600 / 1e6
            return CapacityCost(
                variant: variant.name, highestRateWithinSLO: best, targetRate: best, headroom: 0.2, replicas: 1,
                replicaDollarsPerHour: hourly, dollarsPerMonth: hourly * 730, perMillionRequests: perMillion)
        }
        return RunCosts(trials: trials, groups: groups, capacity: capacity)
    }
}
