import StackLabCore

/// One trial to run: which variant, which repeat, at which offered rate.
public struct TrialPlan: Sendable, Equatable {
    public var variant: Variant
    /// 1-based.
    public var repeatIndex: Int
    /// nil for closed loop and ramps, which carry their own rates.
    public var rate: Double?

    /// Every trial of `spec`, variant by variant, each rate of a sweep from low to high, repeats together.
    public static func all(for spec: ExperimentSpec) -> [TrialPlan] {
        let rates: [Double?] =
            switch spec.workload.arrival {
            case .sweep(let rates): rates.sorted()
            case .constant(let rate): [rate]
            case .closedLoop, .ramp: [nil]
            }
        return spec.variants.flatMap { variant in
            rates.flatMap { rate in
                (1...max(spec.repeats, 1)).map { TrialPlan(variant: variant, repeatIndex: $0, rate: rate) }
            }
        }
    }
}
