/// One entry of an experiment's `workloads:` map: a plain name (`json`, `db`) and its workload.
public struct NamedWorkload: Sendable, Equatable, Codable {
    /// Letters, digits, `-` and `_`; names the workload's trials, tables and charts.
    public var name: String
    public var workload: Workload

    public init(name: String, workload: Workload) {
        self.name = name
        self.workload = workload
    }
}

extension ExperimentSpec {
    /// Every workload the trials run, in order: the named ones, or the single `workload:` with a nil name.
    public var trialWorkloads: [(name: String?, workload: Workload)] {
        workloads.map { $0.map { ($0.name, $0.workload) } } ?? [(nil, workload)]
    }

    /// Applies `change` to every workload of the experiment (`--duration` overrides them all).
    public mutating func changeWorkloads(_ change: (inout Workload) -> Void) {
        change(&workload)
        if var named = workloads {
            for index in named.indices { change(&named[index].workload) }
            workloads = named
        }
    }

    /// The experiment with `name` as its only workload and the variants it runs on (those whose entry speaks its
    /// protocol), or nil when it has no workload of that name.
    public func only(workload name: String) -> ExperimentSpec? {
        guard let named = workloads?.first(where: { $0.name == name }) else { return nil }
        var spec = self
        spec.workload = named.workload
        spec.workloads = nil
        spec.variants = variants.filter { runs(named.workload, on: $0) }
        return spec
    }
}
