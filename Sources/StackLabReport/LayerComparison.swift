import StackLabCore

/// What each variant adds to the baseline (the experiment's first variant, usually the app alone) at the same
/// offered rate: latency, the CPU and memory of the components it adds, and dollars; and, for a TLS variant,
/// what TLS adds to the same stack in plain HTTP.
///
/// Differences are of medians across repeats (trials are the unit), with the distribution-free interval of the shift
/// (`Statistics.differenceOfMedians`); whether p99 differs at all is judged by the exact two-sided Mann–Whitney test
/// at 5% (`Statistics.difference`), and groups too small for it to ever reach 5% get no verdict.
public struct LayerComparison: Sendable {
    /// One variant against a reference variant at one offered rate.
    public struct Row: Sendable {
        public var variant: String
        public var reference: String
        public var offeredRate: Double?
        /// The components in the variant's stack and not in the reference's, in stack order.
        public var addedComponents: [String]
        /// Added corrected latency, microseconds.
        public var addedP50: Statistics.Estimate?
        public var addedP90: Statistics.Estimate?
        public var addedP99: Statistics.Estimate?
        /// Cores the added components used per 1000 requests/s served.
        public var coresPer1000RPS: Statistics.Estimate?
        /// CPU milliseconds per request the whole stack spent beyond the reference's: the same number is CPU-seconds
        /// per 1000 requests, or per 1000 handshakes when each request opened a connection.
        public var cpuMillisecondsPerRequest: Statistics.Estimate?
        /// Peak memory of the added components (PSS for a process tree, RSS for one process), MiB.
        public var memoryMiB: Statistics.Estimate?
        /// The variant's whole-stack usage cost per million requests.
        public var perMillionRequests: Statistics.Estimate?
        /// Its difference from the reference's.
        public var addedPerMillionRequests: Statistics.Estimate?
        /// The p99 of the variant's trials against the reference's: the exact test behind the verdict.
        public var p99Difference: Statistics.Difference?
        /// What the variant's sweep says about its capacity under the SLO (a sweep only).
        public var sweepLimit: SweepLimit?

        /// The highest offered rate at and below which every repeat of the variant met the SLO (a sweep only).
        public var highestRateWithinSLO: Double? { sweepLimit?.highestRateWithinSLO }
    }

    public var baseline: String?
    /// Each variant but the baseline against the baseline, per offered rate.
    public var againstBaseline: [Row]
    /// Each TLS variant against the same stack without TLS, per offered rate.
    public var tlsPremium: [Row]

    public init(_ record: RunRecord, costs: RunCosts?) {
        let variants = record.spec.variants
        baseline = variants.first?.name
        var againstBaseline: [Row] = []
        var tlsPremium: [Row] = []
        guard let base = variants.first else {
            self.againstBaseline = []
            self.tlsPremium = []
            return
        }
        for variant in variants.dropFirst() {
            againstBaseline += Self.rows(variant, against: base, record: record, costs: costs)
        }
        for variant in variants {
            guard let plain = Self.plainTwin(of: variant, in: record.spec) else { continue }
            tlsPremium += Self.rows(variant, against: plain, record: record, costs: costs)
        }
        self.againstBaseline = againstBaseline
        self.tlsPremium = tlsPremium
    }

    /// The variant whose stack is `variant`'s with a first component of the same kind that does not serve TLS.
    static func plainTwin(of variant: Variant, in spec: ExperimentSpec) -> Variant? {
        let stack = spec.stack(of: variant)
        guard let entry = stack.first, entry.tls else { return nil }
        return spec.variants.first { other in
            let otherStack = spec.stack(of: other)
            guard let otherEntry = otherStack.first, !otherEntry.tls, otherEntry.kind == entry.kind,
                otherStack.count == stack.count
            else { return false }
            return zip(otherStack.dropFirst(), stack.dropFirst()).allSatisfy { $0.name == $1.name }
        }
    }

    static func rows(_ variant: Variant, against reference: Variant, record: RunRecord, costs: RunCosts?) -> [Row] {
        let added = variant.stack.filter { !reference.stack.contains($0) }
        var rates: [Double?] = []
        for trial in record.trials where trial.variant == variant.name && !rates.contains(trial.offeredRate) {
            rates.append(trial.offeredRate)
        }
        let limit = RunSummary.sweepLimit(record, variant: variant.name)
        return rates.map { rate in
            let mine = record.trials.filter { $0.variant == variant.name && $0.offeredRate == rate }
            let theirs = record.trials.filter { $0.variant == reference.name && $0.offeredRate == rate }
            let myCost = costs?.groups.first { $0.variant == variant.name && $0.offeredRate == rate }
            let myTrialCosts = costs?.trials.filter { $0.variant == variant.name && $0.offeredRate == rate } ?? []
            let theirTrialCosts = costs?.trials.filter { $0.variant == reference.name && $0.offeredRate == rate } ?? []
            func addedUsage(_ trial: TrialMeasurement) -> [ResourceUsage] {
                trial.components.filter { added.contains($0.name) }.map(\.usage)
            }
            return Row(
                variant: variant.name, reference: reference.name, offeredRate: rate, addedComponents: added,
                addedP50: Statistics.differenceOfMedians(
                    mine.map(\.load.latency.p50), minus: theirs.map(\.load.latency.p50)),
                addedP90: Statistics.differenceOfMedians(
                    mine.map(\.load.latency.p90), minus: theirs.map(\.load.latency.p90)),
                addedP99: Statistics.differenceOfMedians(
                    mine.map(\.load.latency.p99), minus: theirs.map(\.load.latency.p99)),
                coresPer1000RPS: Statistics.medianWithInterval(
                    mine.compactMap { trial in
                        guard trial.load.achievedRate > 0 else { return nil }
                        return addedUsage(trial).reduce(0) { $0 + $1.cores } / trial.load.achievedRate * 1_000
                    }),
                cpuMillisecondsPerRequest: cpuPerRequestDifference(mine, minus: theirs),
                memoryMiB: Statistics.medianWithInterval(
                    mine.map { Double(addedUsage($0).reduce(0) { $0 + $1.peakRSSBytes }) / 1_048_576 }),
                perMillionRequests: myCost?.perMillionRequests,
                addedPerMillionRequests: Statistics.differenceOfMedians(
                    myTrialCosts.compactMap(\.perMillionRequests),
                    minus: theirTrialCosts.compactMap(\.perMillionRequests)
                ),
                p99Difference: Statistics.difference(
                    mine.map(\.load.latency.p99), minus: theirs.map(\.load.latency.p99)),
                sweepLimit: limit)
        }
    }

    /// CPU milliseconds per completed request spent by the whole stack of `variant` minus that of `reference`:
    /// what the added layer (or TLS) costs each request, counting any extra work it causes downstream.
    static func cpuPerRequestDifference(
        _ mine: [TrialMeasurement], minus theirs: [TrialMeasurement]
    )
        -> Statistics.Estimate?
    {
        func perRequest(_ trial: TrialMeasurement) -> Double? {
            guard trial.load.requests.completed > 0 else { return nil }
            let cpu = trial.components.reduce(0) { $0 + $1.usage.cpuSeconds }
            return cpu * 1_000 / Double(trial.load.requests.completed)
        }
        return Statistics.differenceOfMedians(mine.compactMap(perRequest), minus: theirs.compactMap(perRequest))
    }
}
