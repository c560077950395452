import Foundation
import StackLabCore

/// Keeps the load engine and the components on separate CPUs, so the generator's own work does not show up
/// as the component's latency.
///
/// Children are pinned by running them under `taskset -c LIST` (util-linux); without `taskset` nothing is
/// pinned and the outcome says so, so the run records what really happened.
public enum CPUPinning {
    /// The CPUs this process may run on: `Cpus_allowed_list` in /proc/self/status.
    public static func usableCPUs() -> CPUSet {
        CPUSet.allowed() ?? CPUSet(0..<ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Splits the usable CPUs: the highest-numbered `loadCPUs` for the load engine, the rest for components.
    ///
    /// CPU 0 usually takes the most interrupts, so it stays with the components, which are what is measured
    /// by their CPU time rather than by their timing. With fewer than 2 CPUs there is nothing to split.
    ///
    /// - Parameter loadCPUs: how many CPUs the load engine gets; a quarter of them (at least one) when nil.
    public static func plan(usable: CPUSet = usableCPUs(), loadCPUs: Int? = nil) -> PinningPlan {
        guard usable.count >= 2 else {
            return PinningPlan(
                load: nil, components: nil,
                note: "not pinned: only \(usable.count) usable CPU (\(usable)); load and components share it")
        }
        let wanted = loadCPUs ?? max(1, usable.count / 4)
        let share = min(max(wanted, 1), usable.count - 1)
        let load = CPUSet(usable.cpus.suffix(share))
        let components = CPUSet(usable.cpus.dropLast(share))
        return PinningPlan(
            load: load, components: components,
            note: "load engine on CPUs \(load), components on CPUs \(components) (of usable \(usable))")
    }

    /// The `taskset` program, or nil when util-linux is not installed.
    public static func tasksetPath(searchPath: String? = nil) -> String? {
        ExecutableLookup.find("taskset", searchPath: searchPath, includeSystemDirectories: searchPath == nil)
    }

    /// The words to put before a child's command to pin it, and what that will do.
    ///
    /// - Parameter searchPath: where to look for `taskset`; this process's `PATH` and the system directories
    ///   when nil.
    static func wrapper(for cpus: CPUSet?, searchPath: String? = nil) -> (prefix: [String], outcome: PinningOutcome) {
        guard let cpus else { return ([], .notRequested) }
        guard let taskset = tasksetPath(searchPath: searchPath) else {
            return (
                [],
                PinningOutcome(
                    cpus: nil, note: "not pinned to CPUs \(cpus): taskset not found (apt-get install util-linux)")
            )
        }
        return (
            [taskset, "-c", cpus.description], PinningOutcome(cpus: cpus, note: "pinned to CPUs \(cpus) with taskset")
        )
    }

    /// Pins a running process and all its threads (`taskset -a -p -c LIST PID`); threads it starts later
    /// inherit the set. The load engine pins itself with `pin(processID: getpid(), to: plan.load)`.
    public static func pin(processID: Int32, to cpus: CPUSet, searchPath: String? = nil) -> PinningOutcome {
        guard let taskset = tasksetPath(searchPath: searchPath) else {
            return PinningOutcome(
                cpus: nil, note: "not pinned to CPUs \(cpus): taskset not found (apt-get install util-linux)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-a", "-p", "-c", cpus.description, String(processID)]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return PinningOutcome(cpus: nil, note: "not pinned to CPUs \(cpus): cannot run taskset: \(error)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason =
                message.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
            return PinningOutcome(cpus: nil, note: "not pinned to CPUs \(cpus): taskset failed: \(reason)")
        }
        return PinningOutcome(cpus: cpus, note: "pinned to CPUs \(cpus) with taskset")
    }
}
