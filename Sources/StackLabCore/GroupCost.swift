/// The cost of one variant at one offered rate, summarised across its repeats: medians with 95% intervals.
public struct GroupCost: Sendable, Equatable, Codable {
    /// One component's part of the stack's $ per million requests.
    public struct ComponentShare: Sendable, Equatable, Codable {
        public var name: String
        public var kind: String
        /// Usage cost per million successful requests.
        public var perMillionRequests: Statistics.Estimate?
        /// Allocation cost (max(request, usage)) per million successful requests.
        public var allocationPerMillionRequests: Statistics.Estimate?
    }

    public var variant: String
    public var offeredRate: Double?
    /// The whole stack's usage cost per million requests, egress included.
    public var perMillionRequests: Statistics.Estimate?
    /// The components' usage cost (CPU, memory, storage) per million requests, egress apart.
    public var computePerMillionRequests: Statistics.Estimate?
    public var allocationPerMillionRequests: Statistics.Estimate?
    /// Egress of the bytes served, per million requests, at the run's egress price (0 for no egress).
    public var egressPerMillionRequests: Statistics.Estimate?
    /// In stack order.
    public var components: [ComponentShare]

    /// Summarises the trials of one variant at one rate.
    public init(variant: String, offeredRate: Double?, trials: [TrialCost]) {
        self.variant = variant
        self.offeredRate = offeredRate
        perMillionRequests = Statistics.medianWithInterval(trials.compactMap(\.perMillionRequests))
        computePerMillionRequests = Statistics.medianWithInterval(trials.compactMap(\.computePerMillionRequests))
        allocationPerMillionRequests = Statistics.medianWithInterval(
            trials.compactMap(\.allocationPerMillionRequests))
        egressPerMillionRequests = Statistics.medianWithInterval(
            trials.compactMap { $0.successfulRequests > 0 ? 1e6 * $0.egress / Double($0.successfulRequests) : nil })
        let names = trials.first?.components.map { ($0.name, $0.kind) } ?? []
        components = names.map { name, kind in
            let costs = trials.compactMap { trial -> (ComponentCost, Int)? in
                trial.components.first(where: { $0.name == name }).map { ($0, trial.successfulRequests) }
            }
            return ComponentShare(
                name: name, kind: kind,
                perMillionRequests: Statistics.medianWithInterval(costs.compactMap { $0.0.perMillionRequests }),
                allocationPerMillionRequests: Statistics.medianWithInterval(
                    costs.compactMap { cost, requests in requests > 0 ? 1e6 * cost.allocation / Double(requests) : nil }
                ))
        }
    }
}
