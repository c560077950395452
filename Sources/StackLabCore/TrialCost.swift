/// What one trial cost: each component, the egress of the bytes served, and the stack per million requests.
public struct TrialCost: Sendable, Equatable, Codable {
    public var variant: String
    public var repeatIndex: Int
    public var offeredRate: Double?
    /// Requests answered with a status below 400.
    public var successfulRequests: Int
    /// In stack order.
    public var components: [ComponentCost]
    /// The bytes the stack served to the client, priced as internet egress.
    public var egress: Double
    /// Sum of the components' usage cost plus egress.
    public var usage: Double
    /// Sum of the components' allocation cost plus egress.
    public var allocation: Double
    /// 1e6 × usage / successful requests.
    public var perMillionRequests: Double?
    /// 1e6 × allocation / successful requests.
    public var allocationPerMillionRequests: Double?

    /// Prices a trial; `requests` gives each component's declared CPU and memory requests by name.
    public init(_ trial: TrialMeasurement, requests: [String: Resources.Amounts], catalog: PriceCatalog) {
        let load = trial.load
        let successful = max(0, load.requests.completed - load.errors.status4xx - load.errors.status5xx)
        variant = trial.variant
        repeatIndex = trial.repeatIndex
        offeredRate = trial.offeredRate
        successfulRequests = successful
        components = trial.components.map {
            ComponentCost($0, requests: requests[$0.name], successfulRequests: successful, catalog: catalog)
        }
        egress = Double(load.requests.bytesReceived) / 1e9 * catalog.egressPerGB
        usage = components.reduce(egress) { $0 + $1.usage }
        allocation = components.reduce(egress) { $0 + $1.allocation }
        perMillionRequests = successful > 0 ? 1e6 * usage / Double(successful) : nil
        allocationPerMillionRequests = successful > 0 ? 1e6 * allocation / Double(successful) : nil
    }
}
