/// Read and write operations completed by storage over a measured window: what IOPS are computed from.
///
/// Where a kernel offers no per-process operation counts (/proc/PID/io has bytes only, and cgroup v2's
/// `io.stat` needs the io controller), the counts are those of the whole block device that holds the
/// component's data: every process writing to that device counts. `scope` says which it is.
public struct DiskOperations: Sendable, Equatable, Codable {
    /// Where the counts come from.
    public enum Scope: String, Sendable, Equatable, Codable {
        /// The component's own processes (a cgroup of its own).
        case component
        /// The whole block device holding the data directory (/proc/diskstats), shared with everything else.
        case device
    }

    public var reads: Int
    public var writes: Int
    public var scope: Scope
    /// The block device the counts are for (`vda`, `nvme0n1p2`), when `scope` is `.device`.
    public var device: String?

    public init(reads: Int, writes: Int, scope: Scope, device: String? = nil) {
        self.reads = reads
        self.writes = writes
        self.scope = scope
        self.device = device
    }

    /// How a report labels the counts: `device vda` or `component`.
    public var label: String {
        switch scope {
        case .component: "component"
        case .device: "device \(device ?? "?")"
        }
    }
}

extension ResourceUsage {
    /// Read operations per second of the sampled time; nil when no operation counts were taken.
    public var readIOPS: Double? {
        guard let diskOperations, wallSeconds > 0 else { return nil }
        return Double(diskOperations.reads) / wallSeconds
    }

    /// Write operations per second of the sampled time; nil when no operation counts were taken.
    public var writeIOPS: Double? {
        guard let diskOperations, wallSeconds > 0 else { return nil }
        return Double(diskOperations.writes) / wallSeconds
    }
}
