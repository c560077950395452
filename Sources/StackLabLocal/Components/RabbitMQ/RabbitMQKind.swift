import StackLabCore

/// `kind: rabbitmq`: Debian's rabbitmq-server as a node of its own in the run directory (`RabbitMQRecipe`);
/// `durability: true` takes its crash drill (`RabbitMQDurabilityDrill`).
struct RabbitMQKind: LocalComponentKind {
    var kind: ComponentKind { .rabbitmq }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "rabbitmq", kind: .rabbitmq, program: "rabbitmq-server",
                origin: .apt(packages: ["rabbitmq-server"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try RabbitMQRecipe.plan(component, in: context)
    }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await RabbitMQDurabilityDrill.drill(context, into: &record)
    }
}
