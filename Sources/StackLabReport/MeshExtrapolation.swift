import StackLabCore

/// Whether pricing a fleet goes beyond the rates a run measured: the fleet's requests in all (N services × M rps)
/// above the highest offered rate the variant was measured at, or one proxy of the fleet (a sidecar its pod's
/// share, a node proxy its node's pods') above it. The vCPU figure then grows the measured CPU per 1000 rps in
/// proportion, which no trial measured, and `stacklab mesh-cost` says so beside the figure.
public struct MeshExtrapolation: Sendable, Equatable {
    /// The highest offered rate the variant was measured at; nil when it ran closed loop only.
    public var highestMeasuredRate: Double?
    /// Every service's requests together, per second.
    public var fleetRate: Double
    /// What one of the fleet's proxies carries, per second.
    public var ratePerProxy: Double
    public var placement: MeshCapacityCost.Placement

    public init(measuredRates: [Double], fleet: MeshFleet, placement: MeshCapacityCost.Placement) {
        highestMeasuredRate = measuredRates.max()
        fleetRate = fleet.totalRequestsPerSecond
        let perPod = fleet.requestsPerSecond / Double(max(1, fleet.replicas))
        ratePerProxy = placement == .perPod ? perPod : perPod * Double(min(fleet.podsPerNode, fleet.pods))
        self.placement = placement
    }

    /// Whether the figures go beyond what was measured, or cannot be set against it (a closed-loop run).
    public var isExtrapolated: Bool {
        guard let highest = highestMeasuredRate else { return true }
        return fleetRate > highest || ratePerProxy > highest
    }

    /// What goes beyond the measured rates, as a clause for the fleet's line; nil when nothing does.
    public var text: String? {
        guard isExtrapolated else { return nil }
        guard let highest = highestMeasuredRate else {
            return "extrapolated: the run measured closed loop, with no offered rate to set the fleet's "
                + "\(NumberText.rate(fleetRate)) rps against"
        }
        var beyond: [String] = []
        if fleetRate > highest {
            beyond.append(
                "the fleet's \(NumberText.rate(fleetRate)) rps in all is "
                    + "\(DurationText.fixed(fleetRate / highest, digits: 1))× the highest rate measured "
                    + "(\(NumberText.rate(highest))/s)")
        }
        if ratePerProxy > highest {
            beyond.append(
                "each \(placement == .perPod ? "sidecar" : "node proxy") would carry \(NumberText.rate(ratePerProxy)) "
                    + "rps, above the highest rate one was measured at (\(NumberText.rate(highest))/s)")
        }
        return "extrapolated beyond the rates measured: " + beyond.joined(separator: "; ")
            + "; the vCPU figure grows the measured CPU per 1000 rps in proportion, which no trial measured"
    }
}
