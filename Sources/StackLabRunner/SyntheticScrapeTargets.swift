import StackLabCore
import StackLabLoad

/// The synthetic scrape targets a variant's metrics backends ask for (`synthetic_targets`), served by StackLab for
/// the length of the variant's stack: started before it, so that the backends scrape them from their first
/// scrape, and stopped after it, so that no backend counts a failed scrape of a target that went first.
enum SyntheticScrapeTargets {
    /// Starts the targets of every backend of `variant`, runs `body` with `spec` in which each such backend's
    /// `targets` setting also names its targets' ports, and stops the targets however `body` ends.
    ///
    /// - Throws: `UserError` naming the component when its targets cannot be started, or what `body` throws.
    static func serving<Result>(
        _ variant: Variant, of spec: ExperimentSpec, isolation: isolated (any Actor)? = #isolation,
        _ body: (ExperimentSpec) async throws -> Result
    ) async throws -> Result {
        let names = Set(spec.stack(of: variant).map(\.name))
        var started: [SyntheticTargets] = []
        var served = spec
        do {
            for index in served.components.indices where names.contains(served.components[index].name) {
                let component = served.components[index]
                guard component.kind == .prometheus || component.kind == .victoriaMetrics,
                    let synthetic = MetricsBackendSettings.read(component.settings, kind: component.kind).settings
                        .synthetic
                else { continue }
                let targets: SyntheticTargets
                do {
                    targets = try SyntheticTargets(count: synthetic.count, shape: shape(of: synthetic))
                } catch {
                    throw UserError("component '\(component.name)': cannot start its synthetic targets: \(error)")
                }
                started.append(targets)
                let written = component.settings["targets"].map { [$0] } ?? []
                served.components[index].settings["targets"] =
                    (written + targets.ports.map { "127.0.0.1:\($0)" }).joined(separator: ",")
            }
            let result = try await body(served)
            for targets in started { try? await targets.shutdown() }
            return result
        } catch {
            for targets in started { try? await targets.shutdown() }
            throw error
        }
    }

    /// What each target serves, as the settings say.
    static func shape(of synthetic: MetricsBackendSettings.Synthetic) -> SyntheticTargetShape {
        SyntheticTargetShape(
            series: synthetic.series, labelCardinality: synthetic.labelCardinality,
            churnPeriodSeconds: synthetic.churnPeriodSeconds, churnShare: synthetic.churnShare)
    }
}
