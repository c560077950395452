import StackLabCore

/// `kind: nats`: Debian's nats-server, started empty on a loopback port (`NATSRecipe`), core NATS or JetStream
/// with file storage in the run directory; `durability: true` takes its crash drill (`NATSDurabilityDrill`).
struct NATSKind: LocalComponentKind {
    var kind: ComponentKind { .nats }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "nats", kind: .nats, program: "nats-server", origin: .apt(packages: ["nats-server"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try NATSRecipe.plan(
            component, port: context.port, monitorPort: try context.ports.next(), runDirectory: context.runDirectory,
            cpus: context.cpus)
    }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await NATSDurabilityDrill.drill(context, into: &record)
    }
}
