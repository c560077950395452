import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// An app's outbound traffic through its sidecar, as Istio carries TCP: the reference app on PostgreSQL, each with
/// a `kind: sidecar`, started from a graph as a run starts it. The app connects plain to its sidecar's outbound
/// listener, which opens mutual TLS to the database's sidecar, which hands the bytes to PostgreSQL.
@Suite(
    .serialized, .enabled(if: Gateways.opensslInstalled, "needs openssl"),
    .enabled(if: Gateways.isInstalled(.sidecar), "needs Envoy: stacklab install envoy"),
    .enabled(if: AppOnDatabase.postgresInstalled, "needs PostgreSQL (scripts/test.sh installs it)"),
    .enabled(
        if: AppOnDatabase.refAppBuilt, "stacklab-refapp is not built in .build/debug; run 'swift build --build-tests'"))
struct SidecarOutboundTests {
    static let yaml = """
        name: outbound
        workload: { path: /db, rate: 100/s, duration: 1s }
        components:
          app: { kind: app, runtime: swift }
          db: { kind: postgres, resources: { memory: 256Mi } }
          app-proxy: { kind: sidecar, settings: { concurrency: 1 } }
          db-proxy:
            kind: sidecar
            settings: { concurrency: 1 }
            policy: { allow: [{ from: app }], rules: 10 }
        variants:
          mesh:
            entry: app
            hops: [app -> db: mtls]
            sidecars: { app: app-proxy, db: db-proxy }
        """

    struct Row: Decodable, Equatable {
        var id: Int
        var randomNumber: Int
    }

    @Test func theAppsQueriesCrossBothSidecarsOverMutualTLSWithTheSameResults() async throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "outbound.yaml")
        let variant = try #require(spec.variants.first)
        let directory = Gateways.runDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pids = try await withSupervisor(runDirectory: directory) { supervisor in
            // Starting it runs the app's own check of the standard API, /updates included, through the mesh.
            let stack = try await LocalStack.start(
                variant, of: spec, supervisor: supervisor, ports: PortAllocator(),
                binDirectory: AppOnDatabase.binDirectory,
                cpus: nil)
            let plans = Dictionary(stack.components.map { ($0.plan.component.name, $0.plan) }) { first, _ in first }
            let appProxy = try #require(plans["app-proxy"])
            let dbProxy = try #require(plans["db-proxy"])
            let db = try #require(plans["db"])
            // The app was handed the database's credentials at its sidecar's outbound listener, not PostgreSQL's port.
            let databaseURL = try #require(plans["app"]?.component.settings["database_url"])
            #expect(appProxy.endpoints.count == 2)
            let outboundPort = try #require(appProxy.endpoints.last).port
            #expect(databaseURL.contains("@127.0.0.1:\(outboundPort)/"), "\(databaseURL)")
            let outboundConfig = try #require(appProxy.configFiles.first).text
            #expect(outboundConfig.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/db""#))
            let inboundConfig = try #require(dbProxy.configFiles.first).text
            #expect(inboundConfig.contains("require_client_certificate: true"))
            #expect(inboundConfig.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/app""#))
            // Its policy, by identity, is Envoy's network RBAC in front of the TCP proxy: the app is allowed.
            #expect(inboundConfig.contains("envoy.filters.network.rbac") && inboundConfig.contains("tcp_proxy"))

            let before = try await (Self.stats(appProxy), Self.stats(dbProxy))
            let reply = try await HTTPExchange.send(port: try #require(stack.entry).port, path: "/updates?queries=20")
            #expect(reply.status == 200, "\(reply.status) \(reply.body)")
            let rows = try JSONDecoder().decode([Row].self, from: Data(reply.body.utf8))
            #expect(rows.count == 20)
            let after = try await (Self.stats(appProxy), Self.stats(dbProxy))

            // Both sidecars carried the queries: bytes from the app into the outbound listener, and from the app's
            // sidecar into the database's, over TLS handshakes both sides counted.
            for (name, counters, earlier, key) in [
                ("app-proxy", after.0, before.0, "tcp.outbound-db-proxy.downstream_cx_rx_bytes_total"),
                ("db-proxy", after.1, before.1, "tcp.ingress.downstream_cx_rx_bytes_total"),
            ] {
                #expect(
                    (counters[key] ?? 0) > (earlier[key] ?? 0),
                    "\(name) \(key): \(earlier[key] ?? -1) → \(counters[key] ?? -1)")
            }
            #expect((after.0["cluster.outbound-db-proxy.ssl.handshake"] ?? 0) > 0, "app-proxy opened no TLS")
            #expect(
                after.1.contains {
                    $0.key.hasPrefix("listener.") && $0.key.hasSuffix(".ssl.handshake") && $0.value > 0
                },
                "db-proxy accepted no TLS")

            // The same results as PostgreSQL's own, read directly (outside the mesh): what the app wrote is there.
            let ids = rows.map { String($0.id) }.joined(separator: ",")
            let psql = try HelperCommand.capture(
                "/usr/bin/psql",
                [db.endpoint.url(), "-At", "-F", ",", "-c", "SELECT id, randomnumber FROM world WHERE id IN (\(ids))"])
            #expect(psql.status == 0, "\(psql.output)")
            let stored = psql.output.split(separator: "\n").compactMap { line -> Row? in
                let fields = line.split(separator: ",").compactMap { Int($0) }
                return fields.count == 2 ? Row(id: fields[0], randomNumber: fields[1]) : nil
            }
            #expect(stored.sorted { $0.id < $1.id } == rows.sorted { $0.id < $1.id })

            // A client without the app's certificate gets nothing from the database's sidecar.
            let plain = try HelperCommand.capture(
                "/usr/bin/psql", [db.endpoint.at(dbProxy.endpoint).url(), "-At", "-c", "SELECT 1"],
                environment: ProcessInfo.processInfo.environment.merging(["PGCONNECT_TIMEOUT": "5"]) { _, new in new })
            #expect(plain.status != 0, "a plain client reached PostgreSQL through its sidecar: \(plain.output)")
            return stack.components.flatMap { [$0.process.pid] + ProcessTree.descendants(of: $0.process.pid) }
        }
        #expect(pids.filter(ProcessTree.isRunning).isEmpty, "left running")
    }

    /// Envoy's counters from its admin interface (the readiness port): `name: value` per line.
    static func stats(_ plan: LocalComponentPlan) async throws -> [String: Int] {
        guard case .http(let port, _) = plan.readiness else { return [:] }
        let reply = try await HTTPExchange.send(port: port, path: "/stats")
        var counters: [String: Int] = [:]
        for line in reply.body.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                counters[String(parts[0])] = value
            }
        }
        return counters
    }
}

/// What a test of the reference app on PostgreSQL needs: the app built beside the tests, PostgreSQL installed.
enum AppOnDatabase {
    static let binDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug")
    static let refAppBuilt = FileManager.default.isExecutableFile(atPath: binDirectory.path + "/stacklab-refapp")
    static let postgresInstalled = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
        .contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }
}
