#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// How the child ended, for a message: "exited with status 1", or, when the OOM killer killed processes of
    /// its group, "was killed by the OOM killer at its memory limit 64 MiB" rather than a bare SIGKILL.
    func ending(_ status: ExitStatus) -> String {
        guard let group = resourceCgroup else { return "\(status)" }
        let kills = group.oomKills
        guard kills > 0 else { return "\(status)" }
        let limit = group.limits.memory.map { " at its memory limit \(Self.binaryBytes($0))" } ?? ""
        if status == .signalled(SIGKILL) { return "was killed by the OOM killer\(limit)" }
        let victims = kills == 1 ? "one of its processes" : "\(kills) of its processes"
        return "\(status) after the OOM killer killed \(victims)\(limit)"
    }

    /// Bytes as a limit is written: `64 MiB`, `1 GiB`, else `1500000 bytes`.
    static func binaryBytes(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
