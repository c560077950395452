import Foundation
import StackLabCore
import StackLabRunner
import StackLabStore
import StackLabTestSupport
import Testing

/// The runner drives any `StackBackend`: here one whose "stack" is a test server, as a remote backend's
/// would be a service it reaches over the network. Nothing of this machine's recipes is used.
@Suite(.serialized)
struct BackendSeamTests {
    static let yaml = """
        name: seam
        repeats: 2
        workload: { protocol: http, path: /hello, rates: [100, 200], connections: 2, duration: 1s, warmup: 0s }
        components:
          web: { kind: app, runtime: swift }
        variants:
          remote: [web]
        """

    /// What the runner asked of the backend, in order.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [String] = []
        func append(_ call: String) { lock.withLock { calls.append(call) } }
        var all: [String] { lock.withLock { calls } }
    }

    /// A backend whose every stack is one test server on loopback, stopped when the round's body ends.
    struct ServerBackend: StackBackend {
        var calls: Calls
        /// The rate each stack's server serves at most, queueing the rest (``TestServer/set(serviceRate:)``).
        var serviceRate: Double?

        func preflight(_ spec: ExperimentSpec, runsDirectory: URL) throws { calls.append("preflight") }
        func versions(of spec: ExperimentSpec) -> [String: String] { ["web": "test-1"] }
        func notInstalledApps(of variant: Variant, in spec: ExperimentSpec) -> [AppFacts] { [] }

        func withStack<Result>(
            _ variant: Variant, of spec: ExperimentSpec, directory: URL, cpus: CPUSet?,
            _ body: (any RunningStack) async throws -> Result
        ) async throws -> Result {
            calls.append("start \(variant.name)")
            let server = try TestServer()
            if let serviceRate { server.set(serviceRate: serviceRate) }
            do {
                let result = try await body(ServerStack(server: server, calls: calls))
                try await server.shutdown()
                calls.append("stop \(variant.name)")
                return result
            } catch {
                try? await server.shutdown()
                calls.append("stop \(variant.name)")
                throw error
            }
        }
    }

    struct ServerStack: RunningStack {
        var server: TestServer
        var calls: Calls

        var entry: ComponentEndpoint { ComponentEndpoint(port: server.port, wireProtocol: .http) }
        func configs(variant: String) -> [ComponentConfig] {
            [ComponentConfig(variant: variant, component: "web", fileName: "web.yaml", text: "replicas: 1\n")]
        }
        func checkRunning() throws {}
        func resourceWindow() -> any ResourceWindow { FixedWindow(calls: calls) }
        func measureApps(variant: String) async throws -> [AppFacts] { [] }
        func recoveryDrills(variant: String) async throws -> [RecoveryDrill] {
            [RecoveryDrill(variant: variant, component: "web", kind: "app", method: "snapshot", backupSeconds: 1)]
        }
    }

    /// Reports one core busy over the window, as a cluster's metrics would.
    struct FixedWindow: ResourceWindow {
        var calls: Calls
        func open() { calls.append("open") }
        func close() { calls.append("close") }
        func measurements() -> [ComponentMeasurement] {
            let usage = ResourceUsage(
                cpuUserSeconds: 1, cpuSystemSeconds: 0, averageRSSBytes: 1 << 20, peakRSSBytes: 1 << 20,
                memoryGiBSeconds: 0.001, diskReadBytes: 0, diskWriteBytes: 0, diskCountersMissing: true, samples: 4,
                wallSeconds: 1, samplerCPUSeconds: 0)
            return [ComponentMeasurement(name: "web", kind: "app", usage: usage)]
        }
    }

    @Test func theRunnerRunsRoundsTrialsAndDrillsOnAnotherBackend() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-seam-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteResultsStore(path: directory.appendingPathComponent("stacklab.sqlite").path)
        let calls = Calls()
        var options = ExperimentRunner.Options(
            runsDirectory: directory.appendingPathComponent("runs"),
            binDirectory: URL(fileURLWithPath: "/nonexistent"), backend: ServerBackend(calls: calls))
        options.pinCPUs = false
        let runner = ExperimentRunner(
            spec: try ExperimentSpec(yaml: Self.yaml, file: "seam.yaml"), options: options, store: store)

        let (record, _) = try await runner.run { _ in }

        #expect(record.status == .completed)
        // Two rounds, each a fresh stack stopped after its trials; a window around each of the four trials.
        #expect(calls.all.filter { $0.hasPrefix("start") } == ["start remote", "start remote"])
        #expect(calls.all.filter { $0.hasPrefix("stop") }.count == 2)
        #expect(calls.all.filter { $0 == "open" }.count == 4 && calls.all.filter { $0 == "close" }.count == 4)
        #expect(calls.all.first == "preflight")
        #expect(record.trials.count == 4)
        for trial in record.trials {
            #expect(trial.load.requests.completed > 0 && trial.load.errors.total == 0)
            #expect(trial.components.map(\.name) == ["web"] && trial.components[0].usage.cpuSeconds == 1)
        }
        #expect(record.fingerprint.componentVersions["web"] == "test-1")
        #expect(record.configs.map(\.fileName) == ["web.yaml"])
        // The drills of the variant's last round only.
        #expect(record.recoveries?.map(\.method) == ["snapshot"])
        let stored = try #require(try await store.run(id: record.id))
        #expect(stored == record)
    }
}
