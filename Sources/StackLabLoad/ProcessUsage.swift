#if canImport(Glibc)
import Glibc

private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#elseif canImport(Darwin)
import Darwin

private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif
import Foundation

/// This process's own CPU time and peak memory, for the generator's check of itself.
struct ProcessUsage {
    var userSeconds: Double
    var systemSeconds: Double

    static func current() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ProcessUsage(userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime))
    }

    static func - (lhs: Self, rhs: Self) -> Self {
        ProcessUsage(userSeconds: lhs.userSeconds - rhs.userSeconds, systemSeconds: lhs.systemSeconds - rhs.systemSeconds)
    }

    /// Peak resident set size in bytes (VmHWM on Linux).
    static func peakResidentBytes() -> Int {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        #endif
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        // ru_maxrss is in bytes on Darwin.
        return Int(usage.ru_maxrss)
    }

    /// Cores this process may run on (its CPU affinity), which `taskset` narrows.
    static func usableCores() -> Int {
        #if os(Linux)
        // "Cpus_allowed_list:\t0-1,4": count the CPUs in the ranges.
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        {
            let list = line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
            let count = list.split(separator: ",").reduce(0) { total, range in
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                return total + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : bounds.count)
            }
            if count > 0 { return count }
        }
        #endif
        return ProcessInfo.processInfo.activeProcessorCount
    }
}
