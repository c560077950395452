import Foundation
import StackLabCore

/// `kind: mariadb`: Debian's MariaDB, a fresh data directory per run (`MariaDBRecipe`), with a dump drill
/// (`MariaDBBackup`).
struct MariaDBKind: LocalComponentKind {
    var kind: ComponentKind { .mariadb }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "mariadb", kind: .mariadb, program: "mariadbd", origin: .apt(packages: ["mariadb-server"]))
        ]
    }
    var backupMethods: [String] { MariaDBBackup.methods }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try MariaDBRecipe.plan(component, port: context.port, runDirectory: context.runDirectory, cpus: context.cpus)
    }

    func dataPlace(runsDirectory: URL) -> String? { runsDirectory.path }

    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        try await MariaDBBackup.drill(context, into: &record)
    }
}
