extension RunRecord {
    /// The run as if its experiment had only the workload `name`: that workload's trials, the spec with it as its
    /// single workload. Nil when the experiment has no workload of that name.
    ///
    /// Each workload of a run is reported on its own (a table per endpoint); this is the record it is reported from.
    public func only(workload name: String) -> RunRecord? {
        guard let spec = spec.only(workload: name) else { return nil }
        var record = self
        record.spec = spec
        record.trials = trials.filter { $0.workload == name }
        return record
    }
}
