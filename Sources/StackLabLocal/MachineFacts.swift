import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// What this machine is, read from /proc and uname, for a run's environment fingerprint.
public enum MachineFacts {
    public static func fingerprint(componentVersions: [String: String], pinning: String) -> EnvironmentFingerprint {
        EnvironmentFingerprint(
            cpuModel: cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int(ProcessInfo.processInfo.physicalMemory), kernel: kernel(),
            stacklabVersion: StackLabVersion.current, componentVersions: componentVersions, pinning: pinning)
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line?.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
    }

    static func kernel() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
    }
}
