import StackLabCore

/// A component's own cgroup counters across a trial group's repeats (``CgroupUsage``): medians, OOM kills summed.
public struct CgroupSummary: Codable, Sendable, Equatable {
    /// The CPU limit enforced, cores; nil without one.
    public var cpuLimit: Double?
    /// The memory limit enforced, bytes; nil without one.
    public var memoryLimitBytes: Int?
    /// CPU used by the group's own accounting, cores.
    public var cpuCores: Double
    /// Share of the enforcement periods in which the limit held the group back; nil without a CPU limit.
    public var throttledFraction: Double?
    /// Seconds held back per second; nil without a CPU limit.
    public var throttledSecondsPerSecond: Double?
    /// The group's highest memory charge, bytes; nil when unread.
    public var memoryPeakBytes: Int?
    /// OOM kills in every repeat together.
    public var oomKills: Int

    /// The summary of one component's measurements in a group's trials; nil when none has cgroup counters.
    public init?(_ measured: [ComponentMeasurement]) {
        let counted = measured.compactMap(\.cgroup)
        guard let first = counted.first else { return nil }
        cpuLimit = first.cpuLimit
        memoryLimitBytes = first.memoryLimitBytes
        cpuCores = Statistics.median(counted.map(\.cores)) ?? 0
        throttledFraction = Statistics.median(counted.compactMap(\.throttledFraction))
        throttledSecondsPerSecond = Statistics.median(counted.compactMap(\.throttledSecondsPerSecond))
        memoryPeakBytes = Statistics.median(counted.compactMap(\.memoryPeakBytes).map(Double.init)).map { Int($0) }
        oomKills = counted.map(\.oomKills).reduce(0, +)
    }
}
