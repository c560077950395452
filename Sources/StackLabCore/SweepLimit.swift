/// What a rate sweep under an SLO says about a stack's capacity.
///
/// A rate is within the SLO when every repeat at it met every objective. The capacity is the highest rate below
/// which every tried rate was within the SLO too: a sweep that fails at 1,000/s and passes at 2,000/s has no rate
/// within the SLO (the pass at 2,000/s is luck or a measuring fault, not capacity). When the highest rate tried
/// passed, the sweep found no limit: the capacity is at least that rate.
public struct SweepLimit: Sendable, Equatable {
    /// The highest rate at and below which every tried rate met the SLO; nil when the lowest rate failed.
    public var highestRateWithinSLO: Double?
    /// The highest offered rate tried under the SLO.
    public var highestTried: Double
    /// The lowest rate that failed the SLO; nil when every rate met it.
    public var lowestFailure: Double?
    /// The generator checks that shaped a trial at `lowestFailure` (client CPU, host steal, wake-up delay,
    /// connections), in ``GeneratorCheck/Cause`` order; empty when the stack alone failed there. When it is not
    /// empty the limit may be the load generator's rather than the stack's.
    public var failureShapedBy: [GeneratorCheck.Cause] = []

    /// True when every tried rate met the SLO: `highestRateWithinSLO` is the top of the sweep, a lower bound on
    /// the capacity, not a limit found.
    public var isLowerBound: Bool { lowestFailure == nil }

    /// The limit of the offered-rate trials of `trials` evaluated against an SLO; nil when there are none.
    public init?(_ trials: [TrialMeasurement]) {
        self.init(
            trials.filter { !$0.load.thresholds.isEmpty }, passes: { $0.load.thresholds.allSatisfy(\.passed) })
    }

    /// The limit of the offered-rate trials of `trials`, a rate passing when every repeat at it `passes`; nil when
    /// there are none.
    public init?(_ trials: [TrialMeasurement], passes: (TrialMeasurement) -> Bool) {
        let rated = Dictionary(grouping: trials.filter { $0.offeredRate != nil }, by: { $0.offeredRate! })
        guard let highest = rated.keys.max() else { return nil }
        highestTried = highest
        for rate in rated.keys.sorted() {
            guard rated[rate]!.allSatisfy(passes) else {
                lowestFailure = rate
                let causes = Set(rated[rate]!.flatMap { $0.load.generator.causes ?? [] })
                failureShapedBy = GeneratorCheck.Cause.allCases.filter(causes.contains)
                return
            }
            highestRateWithinSLO = rate
        }
    }
}
