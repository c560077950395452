import StackLabCore

/// The regression gate: each rule checked per variant, workload and rate that both runs measured. A check fails
/// only when the candidate's median is beyond the rule's tolerance of the baseline's and that is significant:
/// the exact one-sided Mann–Whitney test of the candidate's trials, moved back by the tolerance, against the
/// baseline's trials gives p ≤ 0.05 (``Statistics/mannWhitney(_:above:)``). With too few trials for the test to
/// ever get there (fewer than 3 a side) a check is undecided and does not fail.
public struct RegressionGate: Sendable {
    public enum Outcome: String, Sendable, Equatable {
        case pass, fail
        /// Too few trials to call anything.
        case undecided
    }

    /// One rule on one variant at one rate.
    public struct Check: Sendable {
        public var rule: GateRule
        public var variant: String
        public var workload: String?
        public var offeredRate: Double?
        /// The runs' medians over their trials, in the metric's unit (µs, $/M, requests/s, a fraction).
        public var baseline: Double
        public var candidate: Double
        /// The baseline's median moved by the tolerance: the candidate's median beyond it is beyond the tolerance.
        public var limit: Double
        public var baselineTrials: Int
        public var candidateTrials: Int
        /// Nil when the tolerance cannot be exceeded (a fall of 100% or more).
        public var test: Statistics.OneSidedTest?

        public var beyondTolerance: Bool { rule.failsOnIncrease ? candidate > limit : candidate < limit }

        public var outcome: Outcome {
            guard let test else { return .pass }
            guard test.canDecide else { return .undecided }
            return beyondTolerance && test.isSignificant ? .fail : .pass
        }
    }

    public var baselineID: String
    public var candidateID: String
    public var checks: [Check]

    /// Checks `rules` on every variant, workload and rate both runs measured; $ per million requests with the
    /// reports' catalogs (price both with the same one).
    public init(baseline: RunReport, candidate: RunReport, rules: [GateRule]) {
        baselineID = baseline.record.id
        candidateID = candidate.record.id
        var checks: [Check] = []
        for rule in rules {
            for group in baseline.groups {
                guard
                    let other = candidate.groups.first(where: {
                        $0.variant == group.variant && $0.offeredRate == group.offeredRate
                            && $0.workload == group.workload
                    })
                else { continue }
                let before = Self.values(rule.metric, group, baseline)
                let after = Self.values(rule.metric, other, candidate)
                if let check = Self.check(rule, before, after, group) { checks.append(check) }
            }
        }
        self.checks = checks
    }

    /// The gate's outcome: failed when any check failed; undecided when no check could be decided.
    public var outcome: Outcome {
        if checks.contains(where: { $0.outcome == .fail }) { return .fail }
        return checks.contains(where: { $0.outcome == .pass }) || checks.isEmpty ? .pass : .undecided
    }

    /// The process's exit code: ``Threshold/failureExitCode`` (99) when the gate failed, else 0.
    public var exitCode: Int32 { outcome == .fail ? Threshold.failureExitCode : 0 }

    private static func check(
        _ rule: GateRule, _ before: [Double], _ after: [Double], _ group: RunSummary.Group
    )
        -> Check?
    {
        guard let base = Statistics.median(before), let median = Statistics.median(after) else { return nil }
        // The candidate's trials moved back by the tolerance: under "no change beyond the tolerance" they are no
        // larger (smaller, for `<`) than the baseline's, which is what the one-sided test asks.
        let limit: Double
        var shifted: [Double]?
        switch (rule.tolerance, rule.failsOnIncrease) {
        case (.relative(let share), true):
            limit = base * (1 + share)
            shifted = after.map { $0 / (1 + share) }
        case (.relative(let share), false):
            limit = base * (1 - share)
            shifted = share < 1 ? after.map { $0 / (1 - share) } : nil
        case (.absolute(let amount), true):
            limit = base + amount
            shifted = after.map { $0 - amount }
        case (.absolute(let amount), false):
            limit = base - amount
            shifted = after.map { $0 + amount }
        }
        let test = shifted.flatMap {
            rule.failsOnIncrease ? Statistics.mannWhitney($0, above: before) : Statistics.mannWhitney(before, above: $0)
        }
        return Check(
            rule: rule, variant: group.variant, workload: group.workload, offeredRate: group.offeredRate,
            baseline: base, candidate: median, limit: limit, baselineTrials: before.count,
            candidateTrials: after.count, test: test)
    }

    /// The metric of each trial of `group`: trials are the unit compared.
    private static func values(_ metric: GateRule.Metric, _ group: RunSummary.Group, _ report: RunReport) -> [Double] {
        switch metric {
        case .p50: group.trials.map(\.load.latency.p50)
        case .p90: group.trials.map(\.load.latency.p90)
        case .p95: group.trials.map(\.load.latency.p95)
        case .p99: group.trials.map(\.load.latency.p99)
        case .rate: group.trials.map(\.load.achievedRate)
        case .errorRate: group.trials.map(\.load.errorRate)
        case .costPerMillion: report.trialCosts(of: group).compactMap(\.perMillionRequests)
        }
    }
}
