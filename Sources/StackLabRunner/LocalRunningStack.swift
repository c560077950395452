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

    func prepareForTrials() async throws { try await FirstScrape.wait(for: stack.components.map(\.plan)) }

    func recoveryDrills(variant: String) async throws -> [RecoveryDrill] {
        try await RecoveryDrills.run(stack, variant: variant, supervisor: supervisor, ports: ports)
    }
}

/// Each component's process tree sampled from /proc over the window, its own cgroups' counters read at both ends
/// (``CgroupMeter``), its data directory measured after, and a metrics backend's own counters read at both ends
/// (``IngestionWindow``).
final class LocalResourceWindow: ResourceWindow {
    private let components: [LocalStack.Running]
    private let samplers: [ResourceSampler]
    private let meters: [CgroupMeter]
    private let usages = NIOLockedValueBox<[ResourceUsage]?>(nil)
    private let cgroups = NIOLockedValueBox<[CgroupUsage?]?>(nil)
    private let ingestion: IngestionReads

    init(_ stack: LocalStack) {
        components = stack.components
        samplers = stack.components.map { ResourceSampler($0.process, dataDirectory: $0.plan.dataDirectory) }
        meters = stack.components.map { CgroupMeter($0.process) }
        ingestion = IngestionReads(stack.components.map(\.plan))
    }

    func open() {
        for meter in meters { meter.open() }
        for sampler in samplers { sampler.start() }
        ingestion.open()
    }

    func close() {
        let measured = samplers.map { $0.stop() }
        let counted = meters.map { $0.close() }
        usages.withLockedValue { $0 = measured }
        cgroups.withLockedValue { $0 = counted }
        ingestion.close()
    }

    func measurements() -> [ComponentMeasurement] {
        let measured = usages.withLockedValue { $0 } ?? samplers.map { $0.stop() }
        let ingested = ingestion.results(count: components.count)
        let counted = cgroups.withLockedValue { $0 } ?? meters.map { $0.close() }
        return zip(components, measured).enumerated().map { index, pair in
            let (running, usage) = pair
            return ComponentMeasurement(
                name: running.plan.component.name, kind: running.plan.component.kind.rawValue, usage: usage,
                storedBytes: running.plan.dataDirectory.flatMap { StoredBytes.of($0.path) },
                ingestion: ingested[index], cgroup: counted[index])
        }
    }
}
