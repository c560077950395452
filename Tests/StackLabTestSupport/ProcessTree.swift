import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The process table, read from /proc: the tests' ground truth about what runs, not the supervisor's bookkeeping.
public enum ProcessTree {
    /// What /proc/PID/stat says of a process.
    public struct Status: Sendable {
        /// `S`, `R`, `Z`, …
        public var state: Character
        public var parent: Int32
        public var group: Int32
        /// Clock ticks since boot when it started (field 22), so that a reused pid is not taken for the process.
        public var startTime: Int
    }

    public static func status(_ pid: Int32) -> Status? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]),
            let group = Int32(fields[2]), let startTime = Int(fields[19])
        else { return nil }
        return Status(state: state, parent: parent, group: group, startTime: startTime)
    }

    /// Whether `pid` is a running process, as `ps` would show it: it exists and is not a zombie.
    public static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return status(pid).map { $0.state != "Z" && $0.state != "X" } ?? false
    }

    /// Whether `pid` still runs and is the process that started at `startTime`.
    public static func isRunning(_ pid: Int32, startTime: Int) -> Bool {
        isRunning(pid) && status(pid)?.startTime == startTime
    }

    /// The start time of `pid` (``Status/startTime``), -1 when it is gone.
    public static func startTime(_ pid: Int32) -> Int {
        status(pid)?.startTime ?? -1
    }

    /// The command line of `pid`, its arguments joined by spaces; empty when it is gone.
    public static func commandLine(_ pid: Int32) -> String {
        let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    /// Every process in /proc.
    public static func all() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    /// Every process below `pid`: children, their children, and so on.
    public static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for process in all() { parents[process] = status(process)?.parent }
        var found: [Int32] = []
        var frontier: Set<Int32> = [pid]
        while !frontier.isEmpty {
            let next = parents.filter { frontier.contains($0.value) }.map(\.key)
            found += next
            frontier = Set(next)
        }
        return found
    }

    /// Running processes in process group `group`.
    public static func groupMembers(_ group: Int32) -> [Int32] {
        all().filter { status($0)?.group == group && isRunning($0) }
    }

    /// Running processes, other than this one, one of whose arguments contains `text` (a path the test made).
    public static func processes(withArgument text: String) -> [Int32] {
        all().filter { pid in
            guard pid != getpid(), let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            return raw.split(separator: 0).contains { String(decoding: $0, as: UTF8.self).contains(text) }
                && isRunning(pid)
        }
    }

    /// ``processes(withArgument:)`` as `PID: command line`, for a failed expectation to show.
    public static func described(withArgument text: String) -> [String] {
        processes(withArgument: text).map { "\($0): \(commandLine($0))" }
    }

    /// Running processes whose working directory is under `directory`.
    public static func processes(workingUnder directory: URL) -> [String] {
        all().compactMap { pid in
            guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
                cwd.hasPrefix(directory.path), isRunning(pid)
            else { return nil }
            return "\(pid): \(cwd)"
        }
    }

    /// Open file descriptors of `pid`.
    public static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }
}
