#if canImport(Glibc)
import Glibc
#endif

/// Who runs in a process group or below a process, read from /proc. A zombie has exited: it counts as gone.
enum ProcessTable {
    /// One process, named so that a reused pid is not mistaken for it.
    struct Identity: Hashable, Sendable {
        var pid: Int32
        var startTime: Int
    }

    /// Whether `process` still runs (exists, is not a zombie, and is the same process).
    static func isAlive(_ process: Identity) -> Bool {
        guard let stat = ProcFS.stat(process.pid) else { return false }
        return stat.startTime == process.startTime && !stat.isZombie
    }

    /// The process groups that have at least one running (not zombie) member.
    static func liveGroups() -> Set<Int32> {
        var groups: Set<Int32> = []
        for pid in ProcFS.allProcesses() {
            if let stat = ProcFS.stat(pid), !stat.isZombie { groups.insert(stat.processGroup) }
        }
        return groups
    }

    /// Every process below `root` (not `root` itself), found through parent pids.
    static func descendants(of root: Int32) -> [ProcStat] {
        if ProcFS.hasChildrenFiles {
            var found: [ProcStat] = []
            var queue = ProcFS.children(of: root)
            var seen: Set<Int32> = [root]
            while let pid = queue.popLast() {
                guard seen.insert(pid).inserted, let stat = ProcFS.stat(pid) else { continue }
                found.append(stat)
                queue += ProcFS.children(of: pid)
            }
            return found
        }
        let all = ProcFS.allProcesses().compactMap(ProcFS.stat)
        var byParent: [Int32: [ProcStat]] = [:]
        for stat in all { byParent[stat.parentPID, default: []].append(stat) }
        var found: [ProcStat] = []
        var queue = byParent[root] ?? []
        var seen: Set<Int32> = [root]
        while let stat = queue.popLast() {
            guard seen.insert(stat.pid).inserted else { continue }
            found.append(stat)
            queue += byParent[stat.pid] ?? []
        }
        return found
    }
}
