import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process that writes a run, recorded with the run so that a later reader can tell whether it still
/// runs: a run left `running` by a process that is gone was not finished and never will be.
///
/// A process id alone is not enough: ids are reused, and a reboot starts them again. So the boot and the
/// process's start time (clock ticks since boot, from /proc) are recorded beside it where Linux gives them.
struct WriterProcess: Sendable, Equatable {
    var pid: Int32
    /// /proc/sys/kernel/random/boot_id; nil where there is no /proc.
    var bootID: String?
    /// Field 22 of /proc/PID/stat; nil where there is no /proc.
    var startTicks: Int64?

    /// This process.
    static var current: WriterProcess {
        let pid = getpid()
        return WriterProcess(pid: pid, bootID: currentBootID, startTicks: startTicks(of: pid))
    }

    /// False when the writer is certainly gone: another boot, no such process, or another process that
    /// reuses its id.
    var isAlive: Bool {
        if let bootID, let current = Self.currentBootID, bootID != current { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let fields = Self.statFields(of: pid) else { return true }
        // A zombie has ended; it waits only for its parent to collect its status.
        if fields.first == "Z" { return false }
        if let startTicks, fields.count > 19, Int64(fields[19]) != startTicks { return false }
        return true
    }

    static var currentBootID: String? {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else {
            return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The start time of `pid` in clock ticks since boot; nil when it cannot be read.
    static func startTicks(of pid: Int32) -> Int64? {
        guard let fields = statFields(of: pid), fields.count > 19 else { return nil }
        return Int64(fields[19])
    }

    /// The fields of /proc/PID/stat after the command name, from the state (field 3) on; 22 is at index 19.
    private static func statFields(of pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // The command name may hold spaces and parentheses; the last ')' ends it.
        return text[text.index(after: close)...].split(separator: " ")
    }
}
