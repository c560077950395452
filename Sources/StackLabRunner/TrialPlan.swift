import StackLabCore

/// One trial to run: which variant, which workload, which repeat, at which offered rate.
public struct TrialPlan: Sendable, Equatable {
    public var variant: Variant
    /// The workload's name in the experiment's `workloads:`; nil for a single `workload:`.
    public var workloadName: String?
    public var workload: Workload
    /// 1-based.
    public var repeatIndex: Int
    /// nil for closed loop and ramps, which carry their own rates.
    public var rate: Double?

    public init(variant: Variant, workloadName: String? = nil, workload: Workload, repeatIndex: Int, rate: Double?) {
        self.variant = variant
        self.workloadName = workloadName
        self.workload = workload
        self.repeatIndex = repeatIndex
        self.rate = rate
    }

    /// Every trial of `spec`, in rounds: repeat 1 of every variant, then repeat 2 of every variant, and so on
    /// (A B C A B C, not A A B B C C), so that a drift of the machine over the run (a neighbour's load, heat, a
    /// filling disk) spreads over every variant instead of masquerading as a difference between them. Within a
    /// round: variant by variant, then workload by workload in the spec's order, each rate of a sweep from low to
    /// high (its closed loop, if listed, last).
    ///
    /// A capacity search is one entry in the first round, with no rate: the runner chooses its rates as it goes
    /// and runs every repeat of a rate one after the other (``ExperimentRunner``), since the next rate depends on
    /// whether every repeat of this one met the SLO.
    ///
    /// A variant's trials within a round are consecutive, so its stack is started once per round. A workload runs
    /// only on the variants whose entry speaks its protocol (a redis workload on redis variants), as the entry
    /// speaks it (`sql` as `postgres` or `mysql`; `Workload.spoken(to:)`).
    public static func all(for spec: ExperimentSpec) -> [TrialPlan] {
        (1...max(spec.repeats, 1)).flatMap { repeatIndex in
            spec.variants.flatMap { variant in
                spec.trialWorkloads.filter {
                    spec.runs($0.workload, on: variant) && (repeatIndex == 1 || !$0.workload.isSearch)
                }.flatMap { name, general in
                    let workload = general.spoken(to: spec.entryKind(of: variant))
                    return rates(of: workload).map { rate in
                        TrialPlan(
                            variant: variant, workloadName: name, workload: workload, repeatIndex: repeatIndex,
                            rate: rate)
                    }
                }
            }
        }
    }

    /// The offered rate of each trial of one workload; nil is a closed loop or a ramp.
    static func rates(of workload: Workload) -> [Double?] {
        switch workload.arrival {
        case .sweep(let rates): rates.sorted() + (workload.includesClosedLoop == true ? [nil] : [])
        case .constant(let rate): [rate]
        case .closedLoop, .ramp, .search: [nil]
        }
    }

    /// The most trials `trials` can come to: a search counts its most probes, each repeated `repeats` times.
    static func maximumCount(of trials: [TrialPlan], repeats: Int) -> Int {
        trials.reduce(0) { count, trial in
            guard case .search(let search) = trial.workload.arrival else { return count + 1 }
            return count + search.maximumProbes * max(repeats, 1)
        }
    }
}
