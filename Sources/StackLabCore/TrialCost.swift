/// What one trial cost: each component, the egress of the bytes served, and the stack per million requests.
public struct TrialCost: Sendable, Equatable, Codable {
    public var variant: String
    public var repeatIndex: Int
    public var offeredRate: Double?
    /// Requests answered with a status below 400.
    public var successfulRequests: Int
    /// In stack order.
    public var components: [ComponentCost]
    /// The bytes the stack served at its edge (what the client received), priced at the run's egress price: 0 unless
    /// the experiment says what traffic they are (``EgressKind``).
    public var egress: Double
    /// Sum of the components' usage cost (CPU, memory, storage), egress apart.
    public var compute: Double
    /// compute + egress.
    public var usage: Double
    /// Sum of the components' allocation cost plus egress.
    public var allocation: Double
    /// 1e6 × usage / successful requests.
    public var perMillionRequests: Double?
    /// 1e6 × compute / successful requests.
    public var computePerMillionRequests: Double?
    /// 1e6 × allocation / successful requests.
    public var allocationPerMillionRequests: Double?

    /// Prices a trial; `requests` gives each component's CPU and memory requests by name, already scaled to the CPUs
    /// the stack had (``CPUAllocation``); `egressPerGB` is the price of the bytes served (0, the default, for no
    /// egress).
    public init(
        _ trial: TrialMeasurement, requests: [String: Resources.Amounts], catalog: PriceCatalog, egressPerGB: Double = 0
    ) {
        let load = trial.load
        let successful = max(0, load.requests.completed - load.errors.status4xx - load.errors.status5xx)
        variant = trial.variant
        repeatIndex = trial.repeatIndex
        offeredRate = trial.offeredRate
        successfulRequests = successful
        components = trial.components.map {
            ComponentCost($0, requests: requests[$0.name], successfulRequests: successful, catalog: catalog)
        }
        egress = Double(load.requests.bytesReceived) / 1e9 * egressPerGB
        compute = components.reduce(0) { $0 + $1.usage }
        usage = compute + egress
        allocation = components.reduce(egress) { $0 + $1.allocation }
        perMillionRequests = successful > 0 ? 1e6 * usage / Double(successful) : nil
        computePerMillionRequests = successful > 0 ? 1e6 * compute / Double(successful) : nil
        allocationPerMillionRequests = successful > 0 ? 1e6 * allocation / Double(successful) : nil
    }
}
