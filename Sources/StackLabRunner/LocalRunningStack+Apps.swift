import Foundation
import StackLabCore
import StackLabLocal

extension LocalRunningStack {
    /// How many times a variant's app is started for its cold start.
    static let coldStarts = 5

    /// Measures each app of the stack before its trials: idle memory of the running app, cold start
    /// (`coldStarts` fresh processes on free ports with the same settings, each to its first correct `GET /json`)
    /// and artifact size.
    ///
    /// A figure that cannot be measured is left out with a note saying why; only cancellation throws.
    func measureApps(variant: String) async throws -> [AppFacts] {
        var all: [AppFacts] = []
        for running in stack.components where running.plan.component.kind == .app {
            let component = running.plan.component
            let runtime = component.runtime ?? .swift
            var facts = AppFacts(variant: variant, component: component.name, runtime: runtime)

            // Idle: the running app's process tree, sampled over half a second before any load.
            let sampler = ResourceSampler(running.process, interval: .milliseconds(100))
            sampler.start()
            try await Task.sleep(for: .milliseconds(500))
            facts.idleRSSBytes = Int64(sampler.stop().averageRSSBytes)

            do {
                let result = try await ColdStart.measure(
                    component, starts: Self.coldStarts, binDirectory: binDirectory, supervisor: supervisor,
                    cpus: running.plan.command.cpus)
                facts.coldStartSeconds = result.samples.map(\.secondsValue)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason = (error as? UserError)?.message ?? "\(error)"
                facts.notes.append("cold start not measured: \(reason.split(separator: "\n").first ?? "")")
            }
            do {
                facts.artifactBytes = try AppArtifact.locate(component, binDirectory: binDirectory).bytes()
            } catch {
                facts.notes.append("artifact size not measured: \((error as? UserError)?.message ?? "\(error)")")
            }
            all.append(facts)
        }
        return all
    }
}

extension Duration {
    /// The duration in seconds, to the attosecond's precision a Double holds.
    fileprivate var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
