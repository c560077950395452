/// Where a run happened: enough to tell whether two runs can be compared.
public struct EnvironmentFingerprint: Sendable, Equatable, Codable {
    public var cpuModel: String
    public var cores: Int
    public var memoryBytes: Int
    public var kernel: String
    public var stacklabVersion: String
    /// Component name → version as the component reports it.
    public var componentVersions: [String: String]
    /// How components and the load engine were pinned to CPUs, in words ("load on CPU 1; components on CPU 0"),
    /// or why they were not.
    public var pinning: String
    /// How many CPUs the components under test were confined to, all of them sharing these; nil when they were not
    /// pinned (they then shared the machine's ``cores`` with the load engine) and in runs stored before it was kept.
    public var componentCPUs: Int?

    public init(
        cpuModel: String, cores: Int, memoryBytes: Int, kernel: String, stacklabVersion: String,
        componentVersions: [String: String], pinning: String, componentCPUs: Int? = nil
    ) {
        self.cpuModel = cpuModel
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.kernel = kernel
        self.stacklabVersion = stacklabVersion
        self.componentVersions = componentVersions
        self.pinning = pinning
        self.componentCPUs = componentCPUs
    }
}
