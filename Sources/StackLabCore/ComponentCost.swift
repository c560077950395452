/// What one component of one trial cost, under one price catalog.
///
/// Usage cost prices what the component consumed; allocation cost prices max(request, usage), as OpenCost
/// bills a workload, and the difference is idle: reserved but unused.
public struct ComponentCost: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    /// CPU-seconds used × $/vCPU-s.
    public var cpu: Double
    /// Memory GiB-seconds × $/GiB-s.
    public var memory: Double
    /// GB kept on disk × seconds × $/GB-s.
    public var storage: Double
    /// cpu + memory + storage.
    public var usage: Double
    /// max(requested, used) CPU and memory over the window, priced, plus storage.
    public var allocation: Double
    /// allocation − usage.
    public var idle: Double
    /// 1e6 × usage / successful requests; nil when no request succeeded.
    public var perMillionRequests: Double?

    /// Prices a component's measurement.
    ///
    /// - Parameters:
    ///   - requests: CPU and memory the component reserved, when the experiment declared requests.
    ///   - successfulRequests: requests that completed without error in the same window.
    public init(
        _ measurement: ComponentMeasurement, requests: Resources.Amounts?, successfulRequests: Int,
        catalog: PriceCatalog
    ) {
        let usage = measurement.usage
        name = measurement.name
        kind = measurement.kind
        cpu = usage.cpuSeconds * catalog.cpuPerVCPUSecond
        memory = usage.memoryGiBSeconds * catalog.memoryPerGiBSecond
        storage = Double(measurement.storedBytes ?? 0) / 1e9 * usage.wallSeconds * catalog.storagePerGBSecond
        self.usage = cpu + memory + storage
        let requestedCPUSeconds = (requests?.cpu ?? 0) * usage.wallSeconds
        let requestedGiBSeconds = Double(requests?.memory ?? 0) / 1_073_741_824 * usage.wallSeconds
        allocation =
            max(requestedCPUSeconds, usage.cpuSeconds) * catalog.cpuPerVCPUSecond
            + max(requestedGiBSeconds, usage.memoryGiBSeconds) * catalog.memoryPerGiBSecond + storage
        idle = allocation - self.usage
        perMillionRequests = successfulRequests > 0 ? 1e6 * self.usage / Double(successfulRequests) : nil
    }
}
