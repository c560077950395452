import StackLabCore

/// Which CPUs the load engine and the components should run on, so that neither steals the other's time.
public struct PinningPlan: Sendable, Equatable, CustomStringConvertible {
    /// CPUs for the load engine (this process); nil when there are too few CPUs to split.
    public var load: CPUSet?
    /// CPUs for the components under test; nil when there are too few CPUs to split.
    public var components: CPUSet?
    /// Why the plan is what it is, for the run's record.
    public var note: String

    public init(load: CPUSet?, components: CPUSet?, note: String) {
        self.load = load
        self.components = components
        self.note = note
    }

    public var description: String { note }
}
