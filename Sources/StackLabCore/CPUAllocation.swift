/// The CPU a stack really had when it was measured, which its allocation and capacity are priced for.
///
/// Components declare CPU requests one by one (`cpu: 1` for a gateway and `cpu: 1` for the app), but a local run
/// confines every component of a stack to the same CPU set: a gateway and an app measured on one shared CPU had
/// one vCPU between them, not two. Where the requests add up to more than the CPUs shared, each is scaled down in
/// proportion so that together they are the CPUs the measurement had.
public struct CPUAllocation: Sendable, Equatable, Codable {
    /// CPUs the stack's components shared during the trials.
    public var sharedCPUs: Int
    /// The stack's declared CPU requests added up, cores.
    public var requestedCPUs: Double
    /// What each declared CPU request is multiplied by: 1, or sharedCPUs ÷ requestedCPUs when that is less.
    public var scale: Double

    public init(sharedCPUs: Int, requestedCPUs: Double) {
        self.sharedCPUs = sharedCPUs
        self.requestedCPUs = requestedCPUs
        scale =
            requestedCPUs > Double(sharedCPUs) && requestedCPUs > 0 ? Double(max(sharedCPUs, 1)) / requestedCPUs : 1
    }

    /// The allocation of one stack's components, from their declared requests and the CPUs they shared.
    public init(components: [String], requests: [String: Resources.Amounts], sharedCPUs: Int) {
        self.init(
            sharedCPUs: sharedCPUs, requestedCPUs: components.reduce(0) { $0 + (requests[$1]?.cpu ?? 0) })
    }

    /// True when the declared requests were more than the CPUs the stack had, and were priced as those CPUs.
    public var isCapped: Bool { scale < 1 }

    /// The CPUs priced: the declared requests, or the CPUs shared when those are fewer.
    public var pricedCPUs: Double { requestedCPUs * scale }

    /// `requests` with each CPU amount scaled to the allocation.
    public func scaled(_ requests: [String: Resources.Amounts]) -> [String: Resources.Amounts] {
        guard isCapped else { return requests }
        return requests.mapValues { Resources.Amounts(cpu: $0.cpu.map { $0 * scale }, memory: $0.memory) }
    }
}
