/// Prices that turn a measurement into dollars: $ per vCPU-hour, per GiB-hour, per GB-month of storage and
/// per GB of egress, as OpenCost's custom pricing has them, and optionally the instance they come from.
///
/// Units are always in the name. An instance-based catalog gives an instance's hourly price, vCPUs and
/// memory; its $/vCPU-h and $/GiB-h are then derived with OpenCost's ratio method (``ratioSplit(_:)``).
public struct PriceCatalog: Sendable, Equatable, Codable {
    /// A machine type and its on-demand price.
    public struct Instance: Sendable, Equatable, Codable {
        /// The provider's name for it (`m7i.large`).
        public var type: String
        public var dollarsPerHour: Double
        public var vcpus: Double
        public var memoryGiB: Double

        public init(type: String, dollarsPerHour: Double, vcpus: Double, memoryGiB: Double) {
            self.type = type
            self.dollarsPerHour = dollarsPerHour
            self.vcpus = vcpus
            self.memoryGiB = memoryGiB
        }
    }

    /// OpenCost's base rates (GCP N1 us-central1): their ratio is how an instance price is split.
    public static let baseRates = (cpuPerVCPUHour: 0.031611, memoryPerGiBHour: 0.004237)

    /// Letters, digits, `-` and `_`: how experiments and `--pricing` name it.
    public var name: String
    /// One line saying what the prices are (`AWS m7i.large on demand, us-east-1`).
    public var title: String
    /// Where the prices were read, so that a reader can check them.
    public var source: String
    /// When the prices were read (ISO date).
    public var date: String
    public var currency: String
    public var region: String?
    public var cpuPerVCPUHour: Double
    public var memoryPerGiBHour: Double
    public var storagePerGBMonth: Double
    /// Internet egress, $ per GB.
    public var egressPerGB: Double
    /// Traffic to another zone of the same region, $ per GB; nil when the catalog does not give it.
    public var crossZoneEgressPerGB: Double?
    public var instance: Instance?

    public init(
        name: String, title: String, source: String, date: String, currency: String = "USD", region: String? = nil,
        cpuPerVCPUHour: Double, memoryPerGiBHour: Double, storagePerGBMonth: Double, egressPerGB: Double,
        crossZoneEgressPerGB: Double? = nil, instance: Instance? = nil
    ) {
        self.name = name
        self.title = title
        self.source = source
        self.date = date
        self.currency = currency
        self.region = region
        self.cpuPerVCPUHour = cpuPerVCPUHour
        self.memoryPerGiBHour = memoryPerGiBHour
        self.storagePerGBMonth = storagePerGBMonth
        self.egressPerGB = egressPerGB
        self.crossZoneEgressPerGB = crossZoneEgressPerGB
        self.instance = instance
    }

    /// Splits an instance's hourly price into $/vCPU-h and $/GiB-h in the ratio of OpenCost's base rates,
    /// normalised so that vCPUs × $/vCPU-h + GiB × $/GiB-h is the instance price (OpenCost spec, Appendix A).
    public static func ratioSplit(_ instance: Instance) -> (cpuPerVCPUHour: Double, memoryPerGiBHour: Double) {
        let base = instance.vcpus * baseRates.cpuPerVCPUHour + instance.memoryGiB * baseRates.memoryPerGiBHour
        guard base > 0 else { return (0, 0) }
        let scale = instance.dollarsPerHour / base
        return (scale * baseRates.cpuPerVCPUHour, scale * baseRates.memoryPerGiBHour)
    }

    /// Hours in a month, as cloud bills count them.
    public static let hoursPerMonth = 730.0

    public var cpuPerVCPUSecond: Double { cpuPerVCPUHour / 3_600 }
    public var memoryPerGiBSecond: Double { memoryPerGiBHour / 3_600 }
    /// Storage per GB and second, from the monthly price over a 730-hour month.
    public var storagePerGBSecond: Double { storagePerGBMonth / (Self.hoursPerMonth * 3_600) }
}
