/// What a component's own cgroup counted over a trial's measured window, and the limits it ran under.
///
/// The kernel's accounting of the group, beside the /proc sampling of ``ResourceUsage``: CPU time of every
/// process that was in the group, short-lived ones included; how often the CPU limit held the group back; the
/// memory peak as the kernel charges it (page cache included, as the memory limit counts it) and OOM kills.
/// Present only where StackLab could make the component's cgroups (root, or a delegated hierarchy).
public struct CgroupUsage: Sendable, Equatable, Codable {
    /// The CPU limit enforced (`limits.cpu`), cores; nil when none.
    public var cpuLimit: Double?
    /// The memory limit enforced (`limits.memory`), bytes; nil when none.
    public var memoryLimitBytes: Int?
    /// CPU time of the group over the window (cpuacct.usage; cpu.stat usage_usec on cgroup v2), seconds.
    public var cpuSeconds: Double
    /// The user and system parts of `cpuSeconds`, seconds; nil when the kernel does not split them.
    public var cpuUserSeconds: Double?
    public var cpuSystemSeconds: Double?
    /// The measured window, seconds.
    public var wallSeconds: Double
    /// Enforcement periods (100 ms each) in which the group was runnable, and those in which it used up its
    /// quota and was held back until the next; nil without a CPU limit.
    public var periods: Int?
    public var throttledPeriods: Int?
    /// Time the group's threads spent held back by the limit, summed over them, seconds; nil without a CPU limit.
    public var throttledSeconds: Double?
    /// The group's highest memory charge over the window, bytes; nil when unreadable.
    public var memoryPeakBytes: Int?
    /// Processes of the group the OOM killer killed over the window.
    public var oomKills: Int

    public init(
        cpuLimit: Double? = nil, memoryLimitBytes: Int? = nil, cpuSeconds: Double, cpuUserSeconds: Double? = nil,
        cpuSystemSeconds: Double? = nil, wallSeconds: Double, periods: Int? = nil, throttledPeriods: Int? = nil,
        throttledSeconds: Double? = nil, memoryPeakBytes: Int? = nil, oomKills: Int = 0
    ) {
        self.cpuLimit = cpuLimit
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuSeconds = cpuSeconds
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
        self.wallSeconds = wallSeconds
        self.periods = periods
        self.throttledPeriods = throttledPeriods
        self.throttledSeconds = throttledSeconds
        self.memoryPeakBytes = memoryPeakBytes
        self.oomKills = oomKills
    }

    /// Average cores busy over the window.
    public var cores: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds : 0 }

    /// The share of periods in which the limit held the group back; nil without periods.
    public var throttledFraction: Double? {
        guard let periods, let throttledPeriods, periods > 0 else { return nil }
        return Double(throttledPeriods) / Double(periods)
    }

    /// Seconds held back per second of the window; nil without a CPU limit.
    public var throttledSecondsPerSecond: Double? {
        guard let throttledSeconds, wallSeconds > 0 else { return nil }
        return throttledSeconds / wallSeconds
    }

    /// Whether any limit was set on the group.
    public var hasLimit: Bool { cpuLimit != nil || memoryLimitBytes != nil }
}
