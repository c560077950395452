import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Removes what a stacklab process that died without cleaning up (SIGKILL, a crash, a power cut during the
/// watchdog's work) left on this machine: PostgreSQL clusters in the temporary directory and component
/// cgroups (v2, and the v1 `cpu`, `cpuacct` and `memory` groups of ``ResourceCgroup``), with every process
/// still in them.
///
/// Each is named after its owner, `stacklab-postgres-<pid>.<start time>-XXXXXX` and
/// `stacklab-<pid>.<start time>-<component>-<n>`, the start time (in clock ticks since boot, from
/// /proc/PID/stat) telling a dead owner from a live process that reused its pid. Only those whose owner is
/// gone are touched; older unnamed ones are left alone, as nothing says whose they are.
enum LeftoverSweep {
    /// `<pid>.<start time>` of this process.
    static let owner: String = {
        let pid = getpid()
        return "\(pid).\(ProcFS.stat(pid)?.startTime ?? 0)"
    }()

    /// The start of the names of this process's cgroups.
    static var ownerPrefix: String { "stacklab-\(owner)-" }

    /// The start of the names of this process's PostgreSQL scratch directories.
    static var scratchPrefix: String { "stacklab-postgres-\(owner)-" }

    /// Removes leftovers of dead owners; runs once per process, before the first component starts.
    static func run() {
        // The processes first: a cluster's files go once nothing writes to them.
        for parent in [ComponentCgroup.parent].compactMap({ $0 }) + ResourceCgroup.version1Parents {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            where deadOwner(of: name, after: "stacklab-") != nil {
                ComponentCgroup(existing: parent + "/" + name).remove()
            }
        }
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where deadOwner(of: name, after: "stacklab-postgres-") != nil {
            try? FileManager.default.removeItem(atPath: (temporary as NSString).appendingPathComponent(name))
        }
    }

    /// The owner named in `name` after `prefix`, when it is a process that no longer runs.
    static func deadOwner(of name: String, after prefix: String) -> ProcessTable.Identity? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        let parts = rest[..<dash].split(separator: ".")
        guard parts.count == 2, let pid = Int32(parts[0]), let start = Int(parts[1]) else { return nil }
        let owner = ProcessTable.Identity(pid: pid, startTime: start)
        return ProcessTable.isAlive(owner) ? nil : owner
    }
}
