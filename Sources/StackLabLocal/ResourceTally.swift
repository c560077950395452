import StackLabCore

/// One process as a sample saw it.
struct ProcessReading: Sendable, Equatable {
    var stat: ProcStat
    /// /proc/PID/io, nil when unreadable.
    var disk: DiskBytes?
    /// Proportional set size from /proc/PID/smaps_rollup, bytes; nil when this sample did not read it (a tree
    /// of one process, or not its turn) or could not.
    var proportionalBytes: Int? = nil
}

/// Storage bytes read and written (/proc/PID/io).
struct DiskBytes: Sendable, Equatable {
    var read: Int
    var write: Int
}

/// Turns successive samples of a process tree into totals; a value type, so the accounting is tested
/// with made-up samples.
///
/// CPU counts from the first sample on: processes already running then are counted from their values at
/// that sample, processes born later from zero. A process that disappears keeps what was counted for it.
/// What it used after the last sample is not lost when a process of the tree reaps it: the kernel adds a
/// reaped child's final CPU time to the parent's "waited-for children" fields (and its disk bytes to the
/// parent's /proc/PID/io), so the parent's increase, minus what was already counted for the child, is
/// counted too. The same fields catch children born and reaped between two samples.
///
/// A parent that lets the kernel reap its children (SIGCHLD ignored) gets no such increase; its children
/// still count up to their last sample.
///
/// Memory: a sample of one live process counts its resident set (RSS, what `ps` and `top` show). A sample
/// of several counts the sum of their proportional set sizes (PSS), so pages they share count once in
/// total instead of once per process. A process whose PSS this sample did not read (the sampler re-reads
/// PSS within a CPU budget, see `ProportionalSizeReader`) or could not read counts the PSS last read, scaled
/// by how its RSS changed since. Reading can fail for a process that exited between the reading of its stat
/// and of its PSS, as PostgreSQL's backends do together when the load's connections close; their RSS, each
/// with the shared buffers in it, would make the peak several times the tree's footprint. Without any PSS
/// read (another user's process, a kernel without smaps_rollup), a process counts its RSS.
struct ResourceTally: Sendable {
    /// Counted for one process, and owed by it: the last-seen totals of reaped children, which its waited-for
    /// fields will repeat.
    private struct Tracked: Sendable {
        var last: ProcStat
        var lastDisk: DiskBytes?
        /// The last PSS read, and the RSS of that sample: to estimate PSS in a sample that did not read it.
        var lastProportionalBytes: Int?
        var residentAtProportional = 0
        var owedUserTicks = 0
        var owedSystemTicks = 0
        var owedDisk = DiskBytes(read: 0, write: 0)

        /// The last PSS read, scaled by how the RSS changed since: a process keeps its mix of shared and
        /// private pages. Nil when no PSS was ever read.
        func estimatedProportionalBytes(_ resident: Int) -> Int? {
            guard let lastProportionalBytes else { return nil }
            guard residentAtProportional > 0 else { return lastProportionalBytes }
            return Int(Double(lastProportionalBytes) * Double(resident) / Double(residentAtProportional))
        }
    }

    /// Whether CPU and disk use of reaped children is the tree's. False when sampling one process alone,
    /// whose reaped children (components the supervisor stops) are not part of it.
    let includesReapedChildren: Bool
    let pageSize: Int

    private var tracked: [ProcessTable.Identity: Tracked] = [:]
    private(set) var userTicks = 0
    private(set) var systemTicks = 0
    private(set) var diskRead = 0
    private(set) var diskWrite = 0
    private(set) var diskCountersMissing = false
    private(set) var samples = 0
    /// The highest memory of any sample (PSS for several processes, RSS for one), bytes.
    private(set) var peakRSSBytes = 0
    /// Memory integrated over time (trapezoids between samples), byte-seconds.
    private(set) var rssByteSeconds = 0.0
    private(set) var lastRSSBytes = 0
    private var firstTime: Double?
    private var lastTime: Double?

    init(includesReapedChildren: Bool = true, pageSize: Int = ProcFS.pageSize) {
        self.includesReapedChildren = includesReapedChildren
        self.pageSize = pageSize
    }

    /// Processes seen in the last sample, so the sampler can look for those that left the tree (orphans
    /// adopted by init) by pid.
    var known: [ProcessTable.Identity] { Array(tracked.keys) }

    /// Seconds from the first sample to the last.
    var wallSeconds: Double { (lastTime ?? 0) - (firstTime ?? 0) }

    /// Adds one sample taken at `time` (seconds on any monotonic clock), parents before children.
    mutating func record(_ readings: [ProcessReading], at time: Double) {
        let isFirst = samples == 0
        var present: [Int32: ProcessTable.Identity] = [:]
        for reading in readings {
            present[reading.stat.pid] = identity(reading.stat)
        }
        // A process gone since the last sample was reaped by its parent if that parent is still here: the
        // parent's waited-for fields will include the child's totals, of which its last-seen part is counted.
        // When the parent went too, the nearest ancestor still here reaped the lot.
        var goneByPID: [Int32: Tracked] = [:]
        for (id, entry) in tracked where present[id.pid] != id {
            goneByPID[id.pid] = entry
        }
        if includesReapedChildren {
            for gone in goneByPID.values {
                var ancestor = gone.last.parentPID
                var hops = 0
                while present[ancestor] == nil, let up = goneByPID[ancestor], hops < goneByPID.count {
                    ancestor = up.last.parentPID
                    hops += 1
                }
                guard let parent = present[ancestor], tracked[parent] != nil else { continue }
                tracked[parent]!.owedUserTicks += gone.last.userTicks + gone.last.waitedUserTicks
                tracked[parent]!.owedSystemTicks += gone.last.systemTicks + gone.last.waitedSystemTicks
                if let disk = gone.lastDisk {
                    tracked[parent]!.owedDisk.read += disk.read
                    tracked[parent]!.owedDisk.write += disk.write
                }
            }
        }
        var next: [ProcessTable.Identity: Tracked] = [:]
        var rss = 0
        var pss = 0
        var live = 0
        for reading in readings {
            let stat = reading.stat
            let id = identity(stat)
            guard next[id] == nil else { continue }
            if reading.disk == nil && !stat.isZombie { diskCountersMissing = true }
            if !stat.isZombie {
                let resident = stat.residentPages * pageSize
                rss += resident
                pss +=
                    reading.proportionalBytes ?? tracked[id].flatMap { $0.estimatedProportionalBytes(resident) }
                    ?? resident
                live += 1
            }
            guard var entry = tracked[id] else {
                // Born after the first sample: everything it used is inside the sampled time.
                if !isFirst {
                    userTicks += stat.userTicks + (includesReapedChildren ? stat.waitedUserTicks : 0)
                    systemTicks += stat.systemTicks + (includesReapedChildren ? stat.waitedSystemTicks : 0)
                    if includesReapedChildren, let disk = reading.disk {
                        diskRead += disk.read
                        diskWrite += disk.write
                    }
                }
                next[id] = Tracked(
                    last: stat, lastDisk: reading.disk, lastProportionalBytes: reading.proportionalBytes,
                    residentAtProportional: stat.residentPages * pageSize)
                continue
            }
            userTicks += max(0, stat.userTicks - entry.last.userTicks)
            systemTicks += max(0, stat.systemTicks - entry.last.systemTicks)
            if includesReapedChildren {
                userTicks += pay(max(0, stat.waitedUserTicks - entry.last.waitedUserTicks), &entry.owedUserTicks)
                systemTicks += pay(
                    max(0, stat.waitedSystemTicks - entry.last.waitedSystemTicks), &entry.owedSystemTicks)
            }
            if let disk = reading.disk {
                if let lastDisk = entry.lastDisk {
                    // Alone (not a tree), a process's /proc/PID/io still includes children it reaped: the
                    // kernel keeps no separate field for them, so nothing can be taken out.
                    diskRead += pay(max(0, disk.read - lastDisk.read), &entry.owedDisk.read)
                    diskWrite += pay(max(0, disk.write - lastDisk.write), &entry.owedDisk.write)
                }
                entry.lastDisk = disk
            }
            entry.last = stat
            if let proportional = reading.proportionalBytes {
                entry.lastProportionalBytes = proportional
                entry.residentAtProportional = stat.residentPages * pageSize
            }
            next[id] = entry
        }
        tracked = next

        let memory = live > 1 ? pss : rss
        if let lastTime {
            rssByteSeconds += Double(lastRSSBytes + memory) / 2 * max(0, time - lastTime)
        }
        firstTime = firstTime ?? time
        lastTime = time
        lastRSSBytes = memory
        peakRSSBytes = max(peakRSSBytes, memory)
        samples += 1
    }

    /// The totals so far.
    func usage(ticksPerSecond: Double = ProcFS.ticksPerSecond, samplerCPUSeconds: Double = 0) -> ResourceUsage {
        let wall = wallSeconds
        return ResourceUsage(
            cpuUserSeconds: Double(userTicks) / ticksPerSecond, cpuSystemSeconds: Double(systemTicks) / ticksPerSecond,
            averageRSSBytes: wall > 0 ? Int(rssByteSeconds / wall) : lastRSSBytes, peakRSSBytes: peakRSSBytes,
            memoryGiBSeconds: rssByteSeconds / 1_073_741_824, diskReadBytes: diskRead, diskWriteBytes: diskWrite,
            diskCountersMissing: diskCountersMissing, samples: samples, wallSeconds: wall,
            samplerCPUSeconds: samplerCPUSeconds)
    }

    private func identity(_ stat: ProcStat) -> ProcessTable.Identity {
        ProcessTable.Identity(pid: stat.pid, startTime: stat.startTime)
    }

    /// Takes what is owed out of `increase` and returns the rest.
    private func pay(_ increase: Int, _ owed: inout Int) -> Int {
        let paid = min(increase, owed)
        owed -= paid
        return increase - paid
    }
}
