import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc

private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#elseif canImport(Darwin)
import Darwin

private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

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
        ProcessUsage(
            userSeconds: lhs.userSeconds - rhs.userSeconds, systemSeconds: lhs.systemSeconds - rhs.systemSeconds)
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

    /// Steal and total jiffies of the CPUs this process may use, from /proc/stat; nil off Linux.
    ///
    /// On a virtual machine the host runs other guests on the same cores; the time it takes away from this
    /// one shows as steal, and a client whose CPU is stolen sends late however efficient it is.
    static func cpuTimes() -> (steal: Int, total: Int)? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        let allowed = CPUSet.allowed().map { Set($0.cpus) }
        var steal = 0
        var total = 0
        for line in stat.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let fields = line.split(separator: " ")
            guard let cpu = Int(fields[0].dropFirst(3)), allowed?.contains(cpu) ?? true else { continue }
            let values = fields.dropFirst().compactMap { Int($0) }
            guard values.count >= 8 else { continue }
            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            total += values.prefix(8).reduce(0, +)
            steal += values[7]
        }
        return (steal, total)
        #else
        return nil
        #endif
    }

    /// Cores this process may run on (its CPU affinity), which `taskset` narrows.
    static func usableCores() -> Int {
        #if os(Linux)
        if let allowed = CPUSet.allowed() { return allowed.count }
        #endif
        return ProcessInfo.processInfo.activeProcessorCount
    }
}
