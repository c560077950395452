import StackLabCore

/// `kind: redis`: Debian's redis-server started empty (`RedisRecipe`), with an RDB snapshot drill
/// (`RedisBackup`).
struct RedisKind: LocalComponentKind {
    var kind: ComponentKind { .redis }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "redis", kind: .redis, program: "redis-server", origin: .apt(packages: ["redis-server"]))
        ]
    }
    var backupMethods: [String] { RedisBackup.methods }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try RedisRecipe.plan(component, port: context.port, runDirectory: context.runDirectory, cpus: context.cpus)
    }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await RedisBackup.drill(context, into: &record)
    }
}
