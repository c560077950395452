/// One stack of an experiment, measured under the experiment's workload.
public struct Variant: Sendable, Equatable, Codable {
    public var name: String
    /// The chain view of the stack: every component in the order a request first reaches it, the one the client
    /// talks to first (``StackGraph/requestOrder``). For a chain (`[a, b, c]`), the chain itself.
    ///
    /// Reports, costs and layer shares read this; ``ExperimentSpec/graph(of:)`` gives the hops and transports.
    public var stack: [String]
    /// The stack as a graph when the file gives the graph form (`entry`, `hops`, `sidecars`); nil for a chain
    /// (`[a, b, c]`, and every run stored before graphs existed). ``ExperimentSpec/graph(of:)`` gives either.
    public var graph: StackGraph?

    /// A chain: the client talks to the first, each component sends to the next.
    public init(name: String, stack: [String]) {
        self.name = name
        self.stack = stack
    }

    /// Any graph; `stack` is its request order.
    public init(name: String, graph: StackGraph) {
        self.name = name
        self.stack = graph.requestOrder
        self.graph = graph
    }
}
