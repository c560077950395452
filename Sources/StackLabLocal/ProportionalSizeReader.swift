/// Decides whose PSS a sample reads, within a CPU budget.
///
/// Reading /proc/PID/smaps_rollup walks the process's page tables: about half a millisecond for a PostgreSQL
/// backend with its share of the buffers mapped, so reading all forty processes of a loaded server four times
/// a second would cost the sampler a tenth of a core. So a sample reads the PSS of processes seen for the first
/// time, always, then of those read longest ago (at least one) while its CPU time spent on reading stays under
/// `budget`; the others are estimated by `ResourceTally` from the PSS last read. A tree of one live process reads none: it
/// is measured by RSS.
struct ProportionalSizeReader: Sendable {
    /// CPU nanoseconds a sample may spend re-reading PSS (new processes are read whatever it costs).
    let budget: Int
    /// The sample at which each process's PSS was last read.
    private var readAt: [ProcessTable.Identity: Int] = [:]
    private var sample = 0

    init(budget: Int) {
        self.budget = budget
    }

    /// Sets `proportionalBytes` on the readings whose PSS it reads.
    ///
    /// - Parameters:
    ///   - read: a process's PSS in bytes, nil when unreadable.
    ///   - cpuNanoseconds: this thread's CPU time so far.
    mutating func fill(
        _ readings: inout [ProcessReading], read: (Int32) -> Int? = { ProcFS.smapsRollup($0)?.proportionalBytes },
        cpuNanoseconds: () -> Int
    ) {
        sample += 1
        let live = readings.indices.filter { !readings[$0].stat.isZombie }
        guard live.count > 1 else { return }
        let identities = live.map {
            ProcessTable.Identity(pid: readings[$0].stat.pid, startTime: readings[$0].stat.startTime)
        }
        let order = live.indices.sorted { (readAt[identities[$0]] ?? 0) < (readAt[identities[$1]] ?? 0) }
        var rereadSince: Int?
        for position in order {
            let id = identities[position]
            if readAt[id] != nil {
                // At least one re-read a sample, so every process comes round however small the budget.
                if let rereadSince, cpuNanoseconds() - rereadSince >= budget { break }
                rereadSince = rereadSince ?? cpuNanoseconds()
            }
            let index = live[position]
            readings[index].proportionalBytes = read(readings[index].stat.pid)
            if readings[index].proportionalBytes != nil { readAt[id] = sample }
        }
        let present = Set(identities)
        readAt = readAt.filter { present.contains($0.key) }
    }
}
