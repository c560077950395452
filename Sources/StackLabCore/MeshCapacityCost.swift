import Foundation

/// The fleet a mesh is priced for: `services` services each serving `requestsPerSecond`, `replicas` pods each,
/// `podsPerNode` pods on a node.
public struct MeshFleet: Sendable, Equatable, Codable {
    public var services: Int
    /// Requests per second each service serves.
    public var requestsPerSecond: Double
    /// Pods per service: a sidecar mesh runs one proxy in each.
    public var replicas: Int
    /// Pods on one node: a node-proxy mesh runs one proxy per node.
    public var podsPerNode: Int

    public init(services: Int, requestsPerSecond: Double, replicas: Int = 1, podsPerNode: Int = 10) {
        self.services = services
        self.requestsPerSecond = requestsPerSecond
        self.replicas = replicas
        self.podsPerNode = podsPerNode
    }

    public var pods: Int { services * replicas }
    /// ceil(pods / pods per node).
    public var nodes: Int { (pods + podsPerNode - 1) / max(1, podsPerNode) }
    /// Every service's requests together, per second.
    public var totalRequestsPerSecond: Double { Double(services) * requestsPerSecond }
}

/// What a mesh's proxies cost a month for a ``MeshFleet``, from the proxies' measured CPU and memory.
///
/// CPU scales with the requests: each request crosses the proxies on its path (a sidecar at each end, or the two
/// node proxies), whose CPU together per 1000 requests/s is measured, so the fleet's is
/// total rate / 1000 × that. Memory scales with the proxies: one per pod (sidecars) or one per node (node
/// proxies), each as large as one was measured. Priced at the catalog's $/vCPU-h and $/GiB-h for 730 h, as the
/// cost model prices usage (an instance-based catalog's split of its instance price).
public struct MeshCapacityCost: Sendable, Equatable, Codable {
    /// Where the mesh's proxies run.
    public enum Placement: String, Sendable, Equatable, Codable {
        /// A sidecar in every pod.
        case perPod = "per-pod"
        /// A node proxy on every node.
        case perNode = "per-node"
    }

    public var placement: Placement
    public var fleet: MeshFleet
    /// The proxies the fleet runs.
    public var proxies: Int
    /// vCPUs the proxies use at the fleet's rate.
    public var vcpus: Double
    /// GiB the proxies hold.
    public var memoryGiB: Double
    public var cpuDollarsPerMonth: Double
    public var memoryDollarsPerMonth: Double
    public var dollarsPerMonth: Double { cpuDollarsPerMonth + memoryDollarsPerMonth }

    /// - Parameters:
    ///   - vcpuPer1000RPS: the CPU of the proxies on one request's path together, cores per 1000 requests/s.
    ///   - memoryBytesPerProxy: one proxy's peak memory.
    public init(
        placement: Placement, vcpuPer1000RPS: Double, memoryBytesPerProxy: Double, fleet: MeshFleet,
        catalog: PriceCatalog
    ) {
        self.placement = placement
        self.fleet = fleet
        proxies = placement == .perPod ? fleet.pods : fleet.nodes
        vcpus = fleet.totalRequestsPerSecond / 1_000 * vcpuPer1000RPS
        memoryGiB = Double(proxies) * memoryBytesPerProxy / 1_073_741_824
        cpuDollarsPerMonth = vcpus * catalog.cpuPerVCPUHour * PriceCatalog.hoursPerMonth
        memoryDollarsPerMonth = memoryGiB * catalog.memoryPerGiBHour * PriceCatalog.hoursPerMonth
    }
}
