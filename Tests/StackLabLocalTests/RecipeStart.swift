import Foundation
import StackLabCore
import StackLabTestSupport

@testable import StackLabLocal

/// A component started by its recipe under a supervisor of its own, as the runner starts it, in a fresh run
/// directory.
struct RecipeStart {
    var directory: URL
    var supervisor: ProcessSupervisor
    var ports: PortAllocator
    var stack: LocalStack
    var plan: LocalComponentPlan { stack.components[0].plan }
    var child: ChildProcess { stack.components[0].process }

    static func start(_ component: Component) async throws -> RecipeStart {
        let directory = makeRunDirectory(component.name)
        let ports = PortAllocator()
        let plan = try ComponentRecipe.plan(
            component, port: try ports.next(), upstreamPort: nil, binDirectory: directory, runDirectory: directory,
            cpus: nil)
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        return RecipeStart(
            directory: directory, supervisor: supervisor, ports: ports,
            stack: LocalStack(components: [.init(plan: plan, process: child)]))
    }
}
