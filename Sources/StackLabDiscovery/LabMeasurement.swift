import StackLabCore

/// What the lab's own results say about one component kind in one variant it was measured in: the highest
/// offered rate at and below which every repeat met the experiment's SLO (``SweepLimit``), or none.
///
/// The radar's Adopt ring takes only a component with a measurement that met the SLO: measured by the lab and
/// found good.
public struct LabMeasurement: Sendable, Equatable {
    /// The component kind (`nginx`).
    public var kind: String
    public var experiment: String
    public var variant: String
    /// Where it was read: `run 20261129-042340-gateways` (the results store) or a report file.
    public var source: String
    /// The highest rate within the SLO; nil when the lowest rate tried already failed it.
    public var highestRateWithinSLO: Double?

    public init(kind: String, experiment: String, variant: String, source: String, highestRateWithinSLO: Double?) {
        self.kind = kind
        self.experiment = experiment
        self.variant = variant
        self.source = source
        self.highestRateWithinSLO = highestRateWithinSLO
    }

    /// True when at least one offered rate met the SLO in every repeat.
    public var metSLO: Bool { highestRateWithinSLO != nil }

    /// `met the SLO up to 4,000/s (gateways, variant nginx, docs/results/gateways-report.md)`.
    public var summary: String {
        let verdict = highestRateWithinSLO.map { "met the SLO up to \(Self.rate($0))/s" } ?? "no rate within the SLO"
        return "\(verdict) (\(experiment), variant \(variant), \(source))"
    }

    static func rate(_ value: Double) -> String { MessageText.grouped(Int(value.rounded())) }

    /// The measurements of a stored run: per variant (and workload) with a sweep under an SLO, one for each
    /// kind in its stack but the reference app.
    public static func of(_ record: RunRecord) -> [LabMeasurement] {
        var result: [LabMeasurement] = []
        for variant in record.spec.variants {
            let trials = record.trials.filter { $0.variant == variant.name }
            let kinds = Set(
                variant.stack.compactMap { record.spec.component(named: $0)?.kind }.filter { $0 != .app }
                    .map(\.rawValue))
            for (workload, group) in Dictionary(grouping: trials, by: { $0.workload ?? "" }) {
                guard let limit = SweepLimit(group) else { continue }
                let name = workload.isEmpty ? variant.name : "\(variant.name), workload \(workload)"
                result += kinds.sorted().map {
                    LabMeasurement(
                        kind: $0, experiment: record.spec.name, variant: name, source: "run \(record.id)",
                        highestRateWithinSLO: limit.highestRateWithinSLO)
                }
            }
        }
        return result
    }
}
