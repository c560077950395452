import Foundation
import StackLabCore

/// Reads a component's own cgroup counters at both ends of a measured window (``CgroupUsage``).
///
/// Opening resets the group's memory peak, so the peak is the window's; each end reads a few small control
/// files, quick enough for the load engine's thread.
public final class CgroupMeter: Sendable {
    private let group: ResourceCgroup?
    private let start = Locked<(counters: CgroupCounters, at: ContinuousClock.Instant)?>(nil)

    /// A meter of `child`'s groups; one that has none (cgroups unavailable here) measures nothing.
    public init(_ child: ChildProcess) {
        group = child.resourceCgroup
    }

    /// Whether the child runs in groups of its own that can be measured.
    public var isAvailable: Bool { group != nil }

    /// Opens the window: the counters now, and a new memory peak.
    public func open() {
        guard let group, let counters = group.counters() else { return }
        group.resetMemoryPeak()
        start.withLock { $0 = (counters, ContinuousClock.now) }
    }

    /// Closes the window: what the group counted since `open`; nil when it was not opened or the group is gone.
    public func close() -> CgroupUsage? {
        guard let group, let opened = start.withLock({ $0 }), let end = group.counters() else { return nil }
        let wall = ContinuousClock.now - opened.at
        return end.usage(
            since: opened.counters, wallSeconds: wall.seconds, memoryPeakBytes: group.memoryPeakBytes,
            limits: group.limits)
    }
}
