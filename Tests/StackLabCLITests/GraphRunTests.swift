import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` on a variant written as a graph: each hop started with its transport, a sidecar in front of
/// the component that carries it.
@Suite(
    .serialized,
    .enabled(
        if: NginxServer.isInstalled && NginxServer.opensslInstalled, "needs nginx and openssl (scripts/test.sh)"))
struct GraphRunTests {
    @Test func mutualTLSHopThroughASidecarCarriesEveryRequest() async throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-graph-\(UUID().uuidString).yaml")
        try """
        name: graph-run
        repeats: 1
        workload: { path: /json, rate: 200/s, connections: 4, duration: 1s }
        components:
          edge: { kind: nginx, tls: true, resources: { cpu: 1 } }
          app: { kind: app, runtime: swift, settings: { db: sqlite } }
          app-proxy: { kind: envoy, resources: { cpu: 1 } }
        variants:
          meshed:
            entry: edge
            hops:
              - edge -> app: mtls
            sidecars: { app: app-proxy }
        """.write(to: spec, atomically: true, encoding: .utf8)
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-graph-runs-\(UUID().uuidString)")
        let store = RunCommandTests.store(beside: runs)
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 180)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        let trial = try #require(record.trials.first)
        // The client speaks TLS to the entry; every request crossed the mutual-TLS hop into the sidecar.
        #expect(trial.load.target.tls)
        #expect(trial.load.requests.completed == 200)
        #expect(trial.load.errors.total == 0, "\(trial.load.errors)")
        #expect(trial.components.map(\.name) == ["edge", "app-proxy", "app"])
        #expect(
            trial.components.allSatisfy { $0.usage.cpuUserSeconds + $0.usage.cpuSystemSeconds > 0 },
            "\(trial.components.map(\.usage))")
        // The hop is configured as the graph says: nginx presents a client certificate from the run's authority,
        // and the sidecar requires one.
        let edge = try #require(record.configs.first { $0.component == "edge" })
        #expect(edge.text.contains("proxy_ssl_certificate ") && edge.text.contains("proxy_ssl_verify on"))
        let sidecar = try #require(record.configs.first { $0.component == "app-proxy" })
        #expect(sidecar.text.contains("require_client_certificate: true"))
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let authorityKey = runs.appendingPathComponent(run).appendingPathComponent("meshed/ca/ca-key.pem")
        let mode = try FileManager.default.attributesOfItem(atPath: authorityKey.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
