import Foundation
import StackLabCore

/// `kind: postgres`: Debian's PostgreSQL, a fresh cluster per run (`PostgresRecipe`), with dump and base
/// backup drills (`PostgresBackup`).
struct PostgresKind: LocalComponentKind {
    var kind: ComponentKind { .postgres }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "postgres", kind: .postgres, program: "postgres", origin: .apt(packages: ["postgresql"]),
                versionedDirectory: "/usr/lib/postgresql")
        ]
    }
    var backupMethods: [String] { PostgresBackup.methods }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try PostgresRecipe.plan(component, port: context.port, runDirectory: context.runDirectory, cpus: context.cpus)
    }

    /// Under the temporary directory when StackLab runs as root (`PostgresRecipe.scratchDirectory`), the worst case.
    func dataPlace(runsDirectory: URL) -> String? { NSTemporaryDirectory() }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await PostgresBackup.drill(context, into: &record)
    }
}
