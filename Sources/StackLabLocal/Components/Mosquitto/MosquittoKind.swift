import StackLabCore

/// `kind: mosquitto`: Debian's Mosquitto MQTT broker from a configuration in the run directory
/// (`MosquittoRecipe`); `durability: true` takes its crash drill (`MosquittoDurabilityDrill`).
struct MosquittoKind: LocalComponentKind {
    var kind: ComponentKind { .mosquitto }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "mosquitto", kind: .mosquitto, program: "mosquitto", origin: .apt(packages: ["mosquitto"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try MosquittoRecipe.plan(component, port: context.port, runDirectory: context.runDirectory, cpus: context.cpus)
    }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await MosquittoDurabilityDrill.drill(context, into: &record)
    }
}
