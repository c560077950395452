/// What a process tree used while it was sampled: the per-component numbers a trial's cost is priced from.
public struct ResourceUsage: Sendable, Equatable, Codable {
    /// CPU time in user mode, all processes of the tree, seconds.
    public var cpuUserSeconds: Double
    /// CPU time in the kernel on the tree's behalf, seconds.
    public var cpuSystemSeconds: Double
    /// Memory of the tree, averaged over time, bytes: the proportional set size (PSS) summed over its
    /// processes when a sample saw several, the resident set (RSS) when it saw one.
    ///
    /// With PSS a page shared between processes (a server's workers and its master, PostgreSQL's shared
    /// buffers) counts once in total, split among them, where summed RSS would count it once per process.
    /// The name stays for stored runs; runs recorded before StackLab read PSS summed RSS, which overstates
    /// a tree sharing memory.
    public var averageRSSBytes: Int
    /// The highest memory of the tree in any sample (PSS for several processes, RSS for one), bytes.
    public var peakRSSBytes: Int
    /// Memory (as `averageRSSBytes`) integrated over the sampled time, GiB × seconds: what memory is priced by.
    public var memoryGiBSeconds: Double
    /// Bytes the tree caused to be read from and written to storage (/proc/PID/io `read_bytes`, `write_bytes`).
    public var diskReadBytes: Int
    public var diskWriteBytes: Int
    /// True when /proc/PID/io could not be read for some running process (another user's, or a kernel
    /// without task I/O accounting): its disk bytes are counted as 0, so the disk numbers are a lower bound.
    public var diskCountersMissing: Bool
    /// Storage operations over the same window, for database components; nil when not counted (and in runs
    /// recorded before StackLab counted them).
    public var diskOperations: DiskOperations?
    public var samples: Int
    /// Time from the first sample to the last, seconds.
    public var wallSeconds: Double
    /// CPU time the sampler itself spent taking the samples, seconds.
    public var samplerCPUSeconds: Double

    public init(
        cpuUserSeconds: Double, cpuSystemSeconds: Double, averageRSSBytes: Int, peakRSSBytes: Int,
        memoryGiBSeconds: Double, diskReadBytes: Int, diskWriteBytes: Int, diskCountersMissing: Bool, samples: Int,
        wallSeconds: Double, samplerCPUSeconds: Double, diskOperations: DiskOperations? = nil
    ) {
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
        self.averageRSSBytes = averageRSSBytes
        self.peakRSSBytes = peakRSSBytes
        self.memoryGiBSeconds = memoryGiBSeconds
        self.diskReadBytes = diskReadBytes
        self.diskWriteBytes = diskWriteBytes
        self.diskCountersMissing = diskCountersMissing
        self.samples = samples
        self.wallSeconds = wallSeconds
        self.samplerCPUSeconds = samplerCPUSeconds
        self.diskOperations = diskOperations
    }

    /// User plus system CPU time, seconds.
    public var cpuSeconds: Double { cpuUserSeconds + cpuSystemSeconds }

    /// Average cores busy: CPU-seconds per second of wall time.
    public var cores: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds : 0 }
}
