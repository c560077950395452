import StackLabCore

/// What pinning was actually done to one process, for the run's environment record.
public struct PinningOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The CPUs the process is confined to, or nil when it was not pinned.
    public var cpus: CPUSet?
    /// "pinned to CPUs 1 with taskset", "not pinned: taskset not found", …
    public var note: String

    public init(cpus: CPUSet?, note: String) {
        self.cpus = cpus
        self.note = note
    }

    /// Nothing asked for pinning.
    public static let notRequested = PinningOutcome(cpus: nil, note: "not pinned: none requested")

    public var isPinned: Bool { cpus != nil }
    public var description: String { note }
}
