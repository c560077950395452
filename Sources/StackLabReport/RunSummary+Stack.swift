import StackLabCore

extension RunSummary.Group {
    /// CPU-seconds the whole stack (every component, not the load generator) spent per 1000 requests completed:
    /// the median across repeats with its interval (``IntervalText``).
    public var stackCPUSecondsPer1000Requests: Statistics.Estimate? {
        Statistics.medianWithInterval(
            trials.compactMap { trial in
                let completed = trial.load.requests.completed
                guard completed > 0 else { return nil }
                return trial.components.reduce(0) { $0 + $1.usage.cpuSeconds } * 1_000 / Double(completed)
            })
    }

    /// The whole stack's peak memory under load (its components' peaks added; PSS for a process tree, RSS for
    /// one process), median across repeats with its interval (``IntervalText``), bytes.
    public var stackPeakRSSBytes: Statistics.Estimate? {
        Statistics.medianWithInterval(
            trials.map { trial in Double(trial.components.reduce(0) { $0 + $1.usage.peakRSSBytes }) })
    }
}
