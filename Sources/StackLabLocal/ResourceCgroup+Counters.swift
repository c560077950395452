import Foundation
import StackLabCore

/// A component's cgroup counters at one instant, totals since the group was made.
struct CgroupCounters: Sendable, Equatable {
    var cpuNanoseconds: Int
    var userNanoseconds: Int?
    var systemNanoseconds: Int?
    /// CFS periods, throttled periods and throttled time (cpu.stat); nil without a `cpu` group.
    var periods: Int?
    var throttledPeriods: Int?
    var throttledNanoseconds: Int?
    /// OOM kills in the group (`oom_kill` of memory.oom_control on v1, memory.events on v2, kernel 4.13 on).
    var oomKills: Int?

    /// What happened from `start` to `self` over `wallSeconds`, with the group's peak memory and limits.
    func usage(
        since start: CgroupCounters, wallSeconds: Double, memoryPeakBytes: Int?, limits: Resources.Amounts
    ) -> CgroupUsage {
        func delta(_ value: (CgroupCounters) -> Int?) -> Int? {
            guard let end = value(self), let begin = value(start) else { return nil }
            return max(0, end - begin)
        }
        return CgroupUsage(
            cpuLimit: limits.cpu, memoryLimitBytes: limits.memory,
            cpuSeconds: Double(max(0, cpuNanoseconds - start.cpuNanoseconds)) / 1e9,
            cpuUserSeconds: delta(\.userNanoseconds).map { Double($0) / 1e9 },
            cpuSystemSeconds: delta(\.systemNanoseconds).map { Double($0) / 1e9 }, wallSeconds: wallSeconds,
            periods: limits.cpu == nil ? nil : delta(\.periods),
            throttledPeriods: limits.cpu == nil ? nil : delta(\.throttledPeriods),
            throttledSeconds: limits.cpu == nil ? nil : delta(\.throttledNanoseconds).map { Double($0) / 1e9 },
            memoryPeakBytes: memoryPeakBytes, oomKills: delta(\.oomKills) ?? 0)
    }

    /// `key value` lines (cpu.stat, cpuacct.stat, memory.oom_control) as a dictionary.
    static func fields(_ text: String?) -> [String: Int] {
        var fields: [String: Int] = [:]
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
        }
        return fields
    }
}

extension ResourceCgroup {
    /// The counters now; nil when the CPU time cannot be read (the group is gone).
    func counters() -> CgroupCounters? {
        let number = { (file: String, controller: String) in
            self.read(file, in: controller).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        if isVersion2 {
            let cpu = CgroupCounters.fields(read("cpu.stat", in: "cpu"))
            guard let usage = cpu["usage_usec"] else { return nil }
            let micro = { (key: String) in cpu[key].map { $0 * 1_000 } }
            return CgroupCounters(
                cpuNanoseconds: usage * 1_000, userNanoseconds: micro("user_usec"),
                systemNanoseconds: micro("system_usec"), periods: cpu["nr_periods"],
                throttledPeriods: cpu["nr_throttled"], throttledNanoseconds: micro("throttled_usec"),
                oomKills: CgroupCounters.fields(read("memory.events", in: "memory"))["oom_kill"])
        }
        guard let usage = number("cpuacct.usage", "cpuacct") else { return nil }
        // The split from cpuacct.stat (clock ticks), which the kernel scales to add up to cpuacct.usage;
        // cpuacct.usage_user and usage_sys are raw tick samples that measured up to twice the total here.
        let ticks = CgroupCounters.fields(read("cpuacct.stat", in: "cpuacct"))
        let scale = 1e9 / ProcFS.ticksPerSecond
        var counters = CgroupCounters(
            cpuNanoseconds: usage, userNanoseconds: ticks["user"].map { Int(Double($0) * scale) },
            systemNanoseconds: ticks["system"].map { Int(Double($0) * scale) },
            oomKills: CgroupCounters.fields(read("memory.oom_control", in: "memory"))["oom_kill"])
        if directories["cpu"] != nil {
            let cpu = CgroupCounters.fields(read("cpu.stat", in: "cpu"))
            counters.periods = cpu["nr_periods"]
            counters.throttledPeriods = cpu["nr_throttled"]
            counters.throttledNanoseconds = cpu["throttled_time"]
        }
        return counters
    }

    /// Starts a new memory peak from the current use (v1 memory.max_usage_in_bytes; v2 memory.peak, resettable
    /// from Linux 6.12 on, else the peak since the group was made).
    func resetMemoryPeak() {
        write("0", to: isVersion2 ? "memory.peak" : "memory.max_usage_in_bytes", in: "memory")
    }

    /// The highest memory charge since the last reset, bytes; nil when unreadable.
    var memoryPeakBytes: Int? {
        read(isVersion2 ? "memory.peak" : "memory.max_usage_in_bytes", in: "memory")
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// OOM kills since the group was made; 0 when the kernel does not count them.
    var oomKills: Int {
        CgroupCounters.fields(read(isVersion2 ? "memory.events" : "memory.oom_control", in: "memory"))["oom_kill"] ?? 0
    }
}
