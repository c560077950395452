import StackLabCore

extension RunRecordFixture {
    /// A run of the `direct` variant swept at 250, 500 and 1,000/s: the app uses 1 core per 1,000/s, p99 is 5, 10
    /// and 40 ms, so the 20 ms SLO holds up to 500/s; for planning tests.
    public static func sweep(id: String = "20261202-120000-sweep", coldStart: Double? = nil) throws -> RunRecord {
        var record = try RunRecordFixture.record(id: id, trials: 0)
        for (index, (rate, p99)) in [(250.0, 5_000.0), (500, 10_000), (1_000, 40_000)].enumerated() {
            var trial = RunRecordFixture.trial(variant: "direct", repeatIndex: 1, rate: rate, seed: index)
            trial.load.latency.p99 = p99
            trial.load.thresholds = [
                .init(expression: "p99 < 20ms", actual: p99, limit: 20_000, passed: p99 <= 20_000)
            ]
            trial.components[0].usage.cpuUserSeconds = rate / 1_000 * 2
            trial.components[0].usage.cpuSystemSeconds = 0
            trial.components[0].usage.wallSeconds = 2
            record.trials.append(trial)
        }
        if let coldStart {
            var facts = AppFacts(variant: "direct", component: "app", runtime: .swift)
            facts.coldStartSeconds = [coldStart]
            record.apps = [facts]
        }
        return record
    }
}
