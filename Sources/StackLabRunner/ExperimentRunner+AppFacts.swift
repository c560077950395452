import Foundation
import StackLabCore
import StackLabLocal

extension ExperimentRunner {
    /// How many times a variant's app is started for its cold start.
    static let coldStarts = 5

    /// The facts of a variant that cannot run because an app's runtime is not on this machine (.NET without
    /// `dotnet`), one per such app; empty when the variant can run.
    func notInstalledApps(of variant: Variant) -> [AppFacts] {
        spec.stack(of: variant).compactMap { component in
            guard component.kind == .app, let runtime = component.runtime,
                let reason = LocalStack.missingRuntime(runtime)
            else { return nil }
            return AppFacts(variant: variant.name, component: component.name, runtime: runtime, notInstalled: reason)
        }
    }

    /// Measures each app of a started variant before its trials: idle memory of the running app, cold start
    /// (`coldStarts` fresh processes on free ports with the same settings, each to its first correct `GET /json`),
    /// artifact size and the latest recorded build times.
    ///
    /// A figure that cannot be measured is left out with a note saying why; only cancellation throws.
    func measureApps(
        of variant: Variant, stack: LocalStack, supervisor: ProcessSupervisor
    ) async throws -> [AppFacts] {
        var all: [AppFacts] = []
        for running in stack.components where running.plan.component.kind == .app {
            let component = running.plan.component
            let runtime = component.runtime ?? .swift
            var facts = AppFacts(variant: variant.name, component: component.name, runtime: runtime)

            // Idle: the running app's process tree, sampled over half a second before any load.
            let sampler = ResourceSampler(running.process, interval: .milliseconds(100))
            sampler.start()
            try await Task.sleep(for: .milliseconds(500))
            facts.idleRSSBytes = Int64(sampler.stop().averageRSSBytes)

            do {
                let result = try await ColdStart.measure(
                    component, starts: Self.coldStarts, binDirectory: options.binDirectory, supervisor: supervisor,
                    cpus: running.plan.command.cpus)
                facts.coldStartSeconds = result.samples.map(\.secondsValue)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason = (error as? UserError)?.message ?? "\(error)"
                facts.notes.append("cold start not measured: \(reason.split(separator: "\n").first ?? "")")
            }
            do {
                facts.artifactBytes = try AppArtifact.locate(component, binDirectory: options.binDirectory).bytes()
            } catch {
                facts.notes.append("artifact size not measured: \((error as? UserError)?.message ?? "\(error)")")
            }
            facts.cleanBuild = try? await store.latestAppBuild(runtime, clean: true)
            facts.incrementalBuild = try? await store.latestAppBuild(runtime, clean: false)
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
