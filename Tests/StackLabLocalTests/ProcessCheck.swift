import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the process table says, read directly: the tests' ground truth, not the supervisor's bookkeeping.
enum ProcessCheck {
    /// Whether `pid` is a running process, as `ps` would show it: it exists and is not a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return state(pid).map { $0 != "Z" && $0 != "X" } ?? false
    }

    /// The state letter in /proc/PID/stat (`S`, `R`, `Z`, …).
    static func state(_ pid: Int32) -> Character? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(close, offsetBy: 2)]
    }

    /// Every process below `pid`, found by scanning the parent pid of every process in /proc.
    static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let child = Int32(entry),
                let text = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = text.lastIndex(of: ")")
            else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        var found: [Int32] = []
        var frontier: Set<Int32> = [pid]
        while !frontier.isEmpty {
            let next = parents.filter { frontier.contains($0.value) }.map(\.key)
            found += next
            frontier = Set(next)
        }
        return found
    }

    /// Processes whose command line contains `marker`, so a test can find what it started without a pid.
    static func processes(withArgument marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains(where: { $0.contains(marker) }) && isRunning(pid) ? pid : nil
        }
    }

    /// `Cpus_allowed_list` of a process.
    static func allowedCPUs(_ pid: Int32) -> String? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
            .map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
    }

    /// Polls `condition` every 20 ms for up to `timeout`; whether it became true.
    static func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}

/// Programs some tests need, found once.
enum Tools {
    /// The real python3 interpreter (not a pyenv shim, whose extra processes would blur CPU measurements).
    static let python3: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    static var hasPython: Bool { python3 != nil }

    static let taskset: String? = ["/usr/bin/taskset", "/bin/taskset"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// A fresh directory for one test's logs.
func makeRunDirectory(_ name: String = #function) -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("stacklab-local-tests/\(safe)-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The pid a shell wrote with `echo $$ > FILE`, once it is there.
func readPID(_ url: URL) async -> Int32? {
    var pid: Int32?
    _ = await ProcessCheck.eventually {
        pid = (try? String(contentsOf: url, encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return pid != nil
    }
    return pid
}
