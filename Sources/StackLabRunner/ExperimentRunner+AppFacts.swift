import Foundation
import StackLabCore

extension ExperimentRunner {
    /// Measures each app of a started variant before its trials (the backend's idle memory, cold start and
    /// artifact size), with the latest build times recorded in the results store.
    func measureApps(of variant: Variant, stack: any RunningStack) async throws -> [AppFacts] {
        var all: [AppFacts] = []
        for var facts in try await stack.measureApps(variant: variant.name) {
            facts.cleanBuild = try? await store.latestAppBuild(facts.runtime, clean: true)
            facts.incrementalBuild = try? await store.latestAppBuild(facts.runtime, clean: false)
            all.append(facts)
        }
        return all
    }
}
