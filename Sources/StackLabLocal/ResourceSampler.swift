import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Measures what a process tree uses (CPU, memory, disk) by reading /proc every `interval`.
///
/// Runs on a thread of its own between `start()` and `stop()`, so that sampling keeps its pace whatever
/// the load engine's threads are doing. It can sample a component's whole tree (a root pid and all its
/// descendants, also those orphaned on the way) or a single process, such as the load generator itself.
/// See `ResourceTally` for how CPU time of processes that exit between samples is kept, and for why a tree
/// of several processes is measured by PSS rather than RSS.
public final class ResourceSampler: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`.

    /// What to sample.
    public enum Target: Sendable, Equatable {
        /// A process and all its descendants.
        case tree(root: Int32)
        /// One process (all its threads) without its children.
        case process(Int32)

        /// This process: the load generator measuring itself.
        public static var currentProcess: Target { .process(getpid()) }
    }

    public let target: Target
    public let interval: Duration
    /// The block device whose operations are counted over the sampled time (a database's data directory).
    private let device: BlockDeviceCounters?
    private var deviceAtStart: BlockDeviceCounters.Reading?
    private var diskOperations: DiskOperations?

    private enum Phase { case idle, running, stopping, stopped }

    private let condition = NSCondition()
    private var phase = Phase.idle
    private var tally: ResourceTally
    private var samplerCPUNanoseconds = 0
    /// For a tree: whose PSS each sample reads. Touched only by `sample()`, which never runs twice at once.
    private var proportionalReader: ProportionalSizeReader?
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - interval: time between samples; 250 ms by default.
    ///   - dataDirectory: a database's data directory: the reads and writes completed by the block device
    ///     holding it, from start to stop, become the usage's `diskOperations` (device-wide; see
    ///     `BlockDeviceCounters`). None are counted when it is nil or not on a block device.
    public init(_ target: Target, interval: Duration = .milliseconds(250), dataDirectory: URL? = nil) {
        precondition(interval > .zero, "sampling interval must be positive")
        self.target = target
        self.interval = interval
        self.device = dataDirectory.flatMap { BlockDeviceCounters(holding: $0.path) }
        if case .process = target {
            tally = ResourceTally(includesReapedChildren: false)
        } else {
            tally = ResourceTally(includesReapedChildren: true)
            // Re-reading PSS may take 1% of a core.
            proportionalReader = ProportionalSizeReader(budget: Int(interval.seconds * 1e9 / 100))
        }
    }

    /// Samples a supervised component and everything it starts.
    public convenience init(
        _ child: ChildProcess, interval: Duration = .milliseconds(250), dataDirectory: URL? = nil
    ) {
        self.init(.tree(root: child.pid), interval: interval, dataDirectory: dataDirectory)
    }

    deinit {
        // The thread holds the sampler only weakly; it ends at its next wake-up.
        condition.lock()
        if phase == .running { phase = .stopping }
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the first sample and starts sampling every `interval`. Call once.
    public func start() {
        condition.lock()
        precondition(phase == .idle, "a ResourceSampler starts once")
        phase = .running
        deviceAtStart = device?.read()
        condition.unlock()
        sample()
        let interval = self.interval
        // Holds the sampler only while waiting or sampling, so one dropped without `stop()` ends its thread.
        let thread = Thread { [weak self] in
            let clock = ContinuousClock()
            let start = clock.now
            var tick = 1
            while let sampler = self {
                guard sampler.wait(until: Date(timeIntervalSinceNow: (start + interval * tick - clock.now).seconds))
                else {
                    sampler.finished.signal()
                    return
                }
                sampler.sample()
                tick += 1
                // After a stall (a suspended machine), keep the pace from now on rather than catch up.
                while start + interval * tick < clock.now { tick += 1 }
            }
        }
        thread.name = "stacklab.sampler"
        thread.start()
    }

    /// Takes a last sample, ends sampling and returns the totals.
    @discardableResult
    public func stop() -> ResourceUsage {
        condition.lock()
        let wasRunning = phase == .running
        if wasRunning { phase = .stopping }
        condition.broadcast()
        condition.unlock()
        if wasRunning {
            finished.wait()
            sample()
        }
        let deviceAtStop = wasRunning ? device?.read() : nil
        condition.lock()
        if let device, let deviceAtStart, let deviceAtStop {
            diskOperations = device.operations(from: deviceAtStart, to: deviceAtStop)
        }
        phase = .stopped
        condition.unlock()
        return usage
    }

    /// The totals so far; sampling goes on.
    public var usage: ResourceUsage {
        condition.lock()
        defer { condition.unlock() }
        var usage = tally.usage(samplerCPUSeconds: Double(samplerCPUNanoseconds) / 1e9)
        usage.diskOperations = diskOperations
        return usage
    }

    /// Waits until `date`; false when sampling should end.
    private func wait(until date: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while phase == .running && date > Date() {
            _ = condition.wait(until: date)
        }
        return phase == .running
    }

    /// Reads the tree once and adds it to the tally, timing its own CPU cost.
    private func sample() {
        let cpuBefore = Self.threadCPUNanoseconds()
        let time = ContinuousClock.now
        condition.lock()
        let known = tally.known
        condition.unlock()
        var readings = Self.read(target, known: known)
        proportionalReader?.fill(&readings, cpuNanoseconds: Self.threadCPUNanoseconds)
        condition.lock()
        tally.record(readings, at: Self.seconds(time))
        samplerCPUNanoseconds += Self.threadCPUNanoseconds() - cpuBefore
        condition.unlock()
    }

    /// One reading of each process of the target, parents before their children.
    static func read(_ target: Target, known: [ProcessTable.Identity]) -> [ProcessReading] {
        func reading(_ pid: Int32) -> ProcessReading? {
            guard let stat = ProcFS.stat(pid) else { return nil }
            return ProcessReading(stat: stat, disk: ProcFS.io(pid).map { DiskBytes(read: $0.read, write: $0.write) })
        }
        switch target {
        case .process(let pid):
            return reading(pid).map { [$0] } ?? []
        case .tree(let root):
            var readings: [ProcessReading] = []
            var seen: Set<Int32> = []
            // Breadth first from the root, then from known processes no longer below it (orphans).
            var queue: [Int32] = [root]
            var orphans = known.filter { $0.pid != root }
            var scanned: [Int32: [Int32]]? = nil
            while true {
                var index = 0
                while index < queue.count {
                    let pid = queue[index]
                    index += 1
                    guard seen.insert(pid).inserted, let found = reading(pid) else { continue }
                    readings.append(found)
                    if ProcFS.hasChildrenFiles {
                        queue += ProcFS.children(of: pid, threads: found.stat.threads)
                    } else {
                        if scanned == nil { scanned = childrenByParent() }
                        queue += scanned?[pid] ?? []
                    }
                }
                orphans.removeAll { seen.contains($0.pid) }
                guard let orphan = orphans.popLast() else { break }
                if let stat = ProcFS.stat(orphan.pid), stat.startTime == orphan.startTime {
                    queue = [orphan.pid]
                } else {
                    queue = []
                }
            }
            return readings
        }
    }

    private static func childrenByParent() -> [Int32: [Int32]] {
        var children: [Int32: [Int32]] = [:]
        for pid in ProcFS.allProcesses() {
            if let stat = ProcFS.stat(pid) { children[stat.parentPID, default: []].append(pid) }
        }
        return children
    }

    private static func threadCPUNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    private static func seconds(_ instant: ContinuousClock.Instant) -> Double {
        (instant - reference).seconds
    }

    private static let reference = ContinuousClock.now
}
