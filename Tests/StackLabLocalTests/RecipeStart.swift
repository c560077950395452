import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

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
            cpus: nil, ports: ports)
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        return RecipeStart(
            directory: directory, supervisor: supervisor, ports: ports,
            stack: LocalStack(components: [.init(plan: plan, process: child)]))
    }
}

extension RecipeStart {
    /// Starts `component` by its recipe under a supervisor of its own, runs the drills it asks for and stops
    /// everything, checking what a user would: a drill's restarted server is the supervisor's, stopped with the
    /// rest, and nothing is left running (for RabbitMQ, no process whose `HOME` is the node's directory: epmd and
    /// beam.smp name nothing of it on their command lines).
    static func drills(_ component: Component) async throws -> [RecoveryDrill] {
        let started = try await start(component)
        let (directory, supervisor, child) = (started.directory, started.supervisor, started.child)
        let drills: [RecoveryDrill]
        do {
            drills = try await RecoveryDrills.run(
                started.stack, variant: "v", supervisor: supervisor, ports: started.ports)
        } catch {
            await supervisor.stopAll()
            throw error
        }
        #expect(supervisor.running.count == 1)
        #expect((supervisor.running.first?.pid != child.pid) == !drills.isEmpty)
        await supervisor.stopAll()
        #expect(ProcessTree.processes(withArgument: directory.path).isEmpty)
        let home = directory.appendingPathComponent(component.name).path
        #expect(processes(withHome: home).isEmpty, "left running: \(processes(withHome: home))")
        return drills
    }

    /// The one drill, `kill -9`, that `component` asks for, run as `drills(_:)` runs it.
    static func killDrill(_ component: Component) async throws -> RecoveryDrill {
        let drills = try await drills(component)
        #expect(drills.map(\.method) == ["kill -9"])
        return try #require(drills.first)
    }
}
