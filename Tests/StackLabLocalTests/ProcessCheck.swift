import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the process table says beyond ``ProcessTree`` (StackLabTestSupport): CPUs, and polling for a condition.
enum ProcessCheck {
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
