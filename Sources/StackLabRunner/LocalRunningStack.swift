import Foundation
import NIOConcurrencyHelpers
import StackLabCore
import StackLabLocal

/// A variant's stack running as supervised processes on this machine.
struct LocalRunningStack: RunningStack {
    var stack: LocalStack
    var supervisor: ProcessSupervisor
    var ports: PortAllocator
    var binDirectory: URL

    var entry: ComponentEndpoint {
        // LocalStack.start refuses a variant without components.
        stack.entry ?? ComponentEndpoint(port: 0, wireProtocol: .http)
    }

    func configs(variant: String) -> [ComponentConfig] {
        stack.components.flatMap { running in
            running.plan.configFiles.map {
                ComponentConfig(
                    variant: variant, component: running.plan.component.name, fileName: $0.fileName, text: $0.text)
            }
        }
    }

    func checkRunning() throws { try supervisor.checkAllRunning() }

    func resourceWindow() -> any ResourceWindow { LocalResourceWindow(stack) }

    func recoveryDrills(variant: String) async throws -> [RecoveryDrill] {
        try await RecoveryDrills.run(stack, variant: variant, supervisor: supervisor, ports: ports)
    }
}

/// Each component's process tree sampled from /proc over the window, its data directory measured after, and a
/// metrics backend's own counters read at both ends (``IngestionWindow``).
final class LocalResourceWindow: ResourceWindow {
    private let components: [LocalStack.Running]
    private let samplers: [ResourceSampler]
    private let usages = NIOLockedValueBox<[ResourceUsage]?>(nil)
    private let ingestion: IngestionReads

    init(_ stack: LocalStack) {
        components = stack.components
        samplers = stack.components.map { ResourceSampler($0.process, dataDirectory: $0.plan.dataDirectory) }
        ingestion = IngestionReads(stack.components.map(\.plan))
    }

    func open() {
        for sampler in samplers { sampler.start() }
        ingestion.open()
    }

    func close() {
        let measured = samplers.map { $0.stop() }
        usages.withLockedValue { $0 = measured }
        ingestion.close()
    }

    func measurements() -> [ComponentMeasurement] {
        let measured = usages.withLockedValue { $0 } ?? samplers.map { $0.stop() }
        let ingested = ingestion.results(count: components.count)
        return zip(components, measured).enumerated().map { index, pair in
            let (running, usage) = pair
            return ComponentMeasurement(
                name: running.plan.component.name, kind: running.plan.component.kind.rawValue, usage: usage,
                storedBytes: running.plan.dataDirectory.flatMap { StoredBytes.of($0.path) },
                ingestion: ingested[index])
        }
    }
}
