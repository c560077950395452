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
    /// Runs the experiment `yaml` with its own runs directory and store; the run's record comes from the store.
    static func run(
        _ yaml: String, environment: [String: String]? = nil
    ) throws -> (outcome: CommandRunner.Outcome, runs: URL, store: String) {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-graph-\(UUID().uuidString).yaml")
        try yaml.write(to: spec, atomically: true, encoding: .utf8)
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-graph-runs-\(UUID().uuidString)")
        let store = RunCommandTests.store(beside: runs)
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 180, environment: environment)
        return (outcome, runs, store)
    }

    @Test func mutualTLSHopThroughASidecarCarriesEveryRequest() async throws {
        let (outcome, runs, store) = try Self.run(
            """
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
            """)
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

    /// Istio's mesh path in a real run: the client dials its sidecar, which opens mutual TLS (HTTP/2) to the app's
    /// sidecar, which checks the client's SPIFFE identity and the policy, then forwards to the app.
    @Test func theMeshPathCarriesEveryRequestThroughBothSidecars() async throws {
        let (outcome, runs, store) = try Self.run(
            """
            name: mesh-run
            repeats: 1
            workload: { path: /json, rate: 200/s, connections: 4, duration: 1s }
            components:
              app: { kind: app, runtime: swift, settings: { db: sqlite } }
              app-proxy:
                kind: sidecar
                policy: { allow: [{ from: client, paths: [/json], methods: [GET] }], rules: 100 }
              client-proxy: { kind: sidecar, settings: { upstream_protocol: http2 } }
            variants:
              mesh:
                entry: { to: app, transport: mtls, sidecar: client-proxy }
                sidecars: { app: app-proxy }
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        let trial = try #require(record.trials.first)
        // The client dials its own sidecar plain; every request crossed both sidecars and the policy allowed it.
        #expect(!trial.load.target.tls)
        #expect(trial.load.requests.completed == 200)
        #expect(trial.load.errors.total == 0, "\(trial.load.errors)")
        #expect(trial.components.map(\.name) == ["client-proxy", "app-proxy", "app"])
        let server = try #require(record.configs.first { $0.component == "app-proxy" })
        #expect(server.text.contains("spiffe://stacklab.local/ns/default/sa/client"))
        #expect(server.text.contains("envoy.filters.http.rbac"))
        let client = try #require(record.configs.first { $0.component == "client-proxy" })
        #expect(client.text.contains("spiffe://stacklab.local/ns/default/sa/app"))
        // Nothing of the stack outlives the run.
        let left = Self.processes(mentioning: runs.path)
        #expect(left.isEmpty, "left running: \(left)")
    }

    /// The command lines of running processes that mention `text`.
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(text) ? "\(pid): \(line)" : nil
        }
    }

    /// A sidecar whose Envoy refuses to start stops the run before any load, and the error shows Envoy's own words.
    @Test func aSidecarThatFailsToStartFailsTheRunBeforeLoadWithItsLogTail() async throws {
        // The real Envoy, behind a wrapper in a StackLab home of the test's own that gives it an argument it refuses.
        let venv = StackLabHome.virtualEnvironment()
        let sitePackages = (try? FileManager.default.contentsOfDirectory(atPath: venv.path + "/lib")) ?? []
        let real = sitePackages.map { "\(venv.path)/lib/\($0)/site-packages/envoy/_bin/envoy" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        let envoy = try #require(real, "needs Envoy: stacklab install envoy")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-home-\(UUID().uuidString)")
        let wrapper = home.appendingPathComponent("venv/lib/python3.11/site-packages/envoy/_bin/envoy")
        try FileManager.default.createDirectory(
            at: wrapper.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "#!/bin/sh\nexec '\(envoy)' \"$@\" --drain-strategy never-heard-of-it\n".write(
            to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_HOME"] = home.path
        let (outcome, runs, store) = try Self.run(
            """
            name: mesh-broken
            repeats: 1
            workload: { path: /json, rate: 100/s, connections: 2, duration: 1s }
            components:
              app: { kind: app, runtime: swift, settings: { db: sqlite } }
              app-proxy: { kind: sidecar }
              client-proxy: { kind: sidecar }
            variants:
              mesh:
                entry: { to: app, transport: mtls, sidecar: client-proxy }
                sidecars: { app: app-proxy }
            """, environment: environment)
        #expect(outcome.exitCode == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("app-proxy"), "\(outcome.stderr)")
        // Envoy's own line, "error: unknown drain-strategy …", from its log.
        #expect(outcome.stderr.contains("unknown drain-strategy"), "no log tail from Envoy: \(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .aborted && record.trials.isEmpty)
        #expect(Self.processes(mentioning: runs.path).isEmpty)
    }
}
