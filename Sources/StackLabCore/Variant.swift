/// One stack of an experiment, measured under the experiment's workload.
public struct Variant: Sendable, Equatable, Codable {
    public var name: String
    /// Component names in the order a request passes through them: the client talks to the first.
    public var stack: [String]

    public init(name: String, stack: [String]) {
        self.name = name
        self.stack = stack
    }
}
