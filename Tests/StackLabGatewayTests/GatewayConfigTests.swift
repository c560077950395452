import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// The configuration each gateway recipe writes: keep-alive upstream, workers from the CPU allocation, access
/// logging off unless asked for, the same timeouts everywhere. No gateway needs to be installed.
struct GatewayConfigTests {
    static func gateway(accessLog: String? = nil, tls: Bool = false) -> GatewayConfiguration {
        GatewayConfiguration(
            name: "gw", port: 21001, upstreamPort: 21002, readyPort: 21003, workers: 3, directory: "/run/gw",
            accessLog: accessLog,
            tls: tls
                ? .init(certificate: "/run/gw/tls/cert.pem", key: "/run/gw/tls/key.pem", bundle: "/run/gw/b.pem") : nil)
    }

    /// Every rendered file of `kind`, joined, with its arguments and environment.
    static func render(
        _ kind: ComponentKind, _ gateway: GatewayConfiguration
    ) -> (text: String, arguments: [String], environment: [String: String]) {
        let renderer = ComponentRecipe.renderer(for: kind)!
        return (
            renderer.configFiles(gateway).map(\.text).joined(separator: "\n"), renderer.arguments(gateway),
            renderer.environment(gateway)
        )
    }

    @Test(arguments: Gateways.kinds)
    func proxiesLoopbackToTheUpstreamWithTheSameTimeouts(kind: ComponentKind) {
        let (text, _, _) = Self.render(kind, Self.gateway())
        #expect(text.contains("127.0.0.1:21001") || text.contains("port_value: 21001") || text.contains(":21001"))
        #expect(text.contains("21002"))
        #expect(text.contains("21003"))
        // Connect 5s, request 30s, idle 60s in each.
        for timeout in ["5s", "30s", "60s"] { #expect(text.contains(timeout), "\(kind): no \(timeout)") }
        #expect(!text.contains("0.0.0.0"))
    }

    @Test(arguments: Gateways.kinds)
    func keepsUpstreamConnectionsAlive(kind: ComponentKind) {
        let (text, _, _) = Self.render(kind, Self.gateway())
        let expected: [String] =
            switch kind {
            case .nginx: ["keepalive 128;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";"]
            case .haproxy: ["http-reuse always", "option http-keep-alive", "pool-purge-delay 60s"]
            case .traefik: ["maxIdleConnsPerHost: 128", "idleConnTimeout: 60s"]
            case .envoy, .sidecar: ["common_http_protocol_options: { idle_timeout: 60s }", "http_protocol_options: {}"]
            case .caddy: ["keepalive 60s", "keepalive_idle_conns 128"]
            default: []
            }
        for line in expected { #expect(text.contains(line), "\(kind): missing \(line)") }
    }

    @Test(arguments: Gateways.kinds)
    func workersMatchTheAllocation(kind: ComponentKind) {
        let (text, arguments, environment) = Self.render(kind, Self.gateway())
        switch kind {
        case .nginx: #expect(text.contains("worker_processes 3;"))
        case .haproxy: #expect(text.contains("nbthread 3"))
        case .envoy, .sidecar: #expect(arguments.joined(separator: " ").contains("--concurrency 3"))
        case .traefik, .caddy: #expect(environment["GOMAXPROCS"] == "3")
        default: Issue.record("not a gateway")
        }
    }

    @Test(arguments: Gateways.kinds)
    func accessLoggingIsOffUnlessAsked(kind: ComponentKind) {
        let off = Self.render(kind, Self.gateway()).text
        let on = Self.render(kind, Self.gateway(accessLog: "/run/gw/access.log")).text
        switch kind {
        case .nginx:
            #expect(off.contains("access_log off;") && on.contains("access_log /run/gw/access.log;"))
        case .haproxy:
            #expect(off.contains("no log") && !off.contains("httplog"))
            #expect(on.contains("log stdout") && on.contains("option httplog"))
        case .traefik:
            #expect(!off.contains("accessLog") && on.contains("filePath: \"/run/gw/access.log\""))
        case .envoy, .sidecar:
            #expect(!off.contains("access_log") && on.contains("path: \"/run/gw/access.log\""))
        case .caddy:
            #expect(!off.contains("log {") && on.contains("output file /run/gw/access.log"))
        default: Issue.record("not a gateway")
        }
    }

    @Test(arguments: Gateways.kinds)
    func tlsUsesTheRunsCertificate(kind: ComponentKind) {
        let plain = Self.render(kind, Self.gateway()).text
        let tls = Self.render(kind, Self.gateway(tls: true)).text
        #expect(!plain.contains("cert.pem") && !plain.contains("b.pem"))
        #expect(tls.contains(kind == .haproxy ? "/run/gw/b.pem" : "/run/gw/tls/cert.pem"))
    }

    @Test func workersComeFromCPUThenPinningThenCores() {
        let limited = Component(name: "g", kind: .nginx, resources: Resources(both: .init(cpu: 1.5)))
        #expect(GatewayConfiguration.workers(for: limited, cpus: [0, 1, 2, 3]) == 2)
        let requested = Component(
            name: "g", kind: .nginx, resources: Resources(requests: .init(cpu: 0.5), limits: .init()))
        #expect(GatewayConfiguration.workers(for: requested, cpus: nil) == 1)
        let pinned = Component(name: "g", kind: .nginx)
        #expect(GatewayConfiguration.workers(for: pinned, cpus: [2, 3, 4]) == 3)
        #expect(GatewayConfiguration.workers(for: pinned, cpus: nil) == ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The recipe writes its files into the run directory and returns the same text with the plan. A stand-in
    /// file plays the installed program: nothing is started here.
    @Test func planWritesTheConfigIntoTheRunDirectory() throws {
        let run = Gateways.runDirectory()
        let bin = run.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let program = bin.appendingPathComponent("haproxy")
        try "#!/bin/sh\n".write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let locator = ComponentLocator(
            virtualEnvironment: run.appendingPathComponent("venv"), binDirectory: nil, searchPath: bin.path,
            searchesSystemDirectories: false)
        let component = Component(
            name: "edge", kind: .haproxy, settings: ["access_log": "true"], resources: Resources(both: .init(cpu: 2)))
        let plan = try ComponentRecipe.plan(
            component, port: 21010, upstreamPort: 21011, binDirectory: bin, runDirectory: run, cpus: nil,
            locator: locator)
        #expect(plan.command.executable == program.path)
        #expect(plan.configFiles.map(\.fileName) == ["haproxy.cfg"])
        let written = try String(
            contentsOf: run.appendingPathComponent("edge/haproxy.cfg"), encoding: .utf8)
        #expect(written == plan.configFiles[0].text)
        #expect(written.contains("nbthread 2") && written.contains("option httplog"))
        if case .http(let port, let path) = plan.readiness {
            #expect(path == "/ready" && port != 21010)
        } else {
            Issue.record("readiness is not HTTP: \(plan.readiness)")
        }
    }

    @Test func badSettingsAreRefusedWithTheirName() throws {
        let component = Component(name: "edge", kind: .nginx, settings: ["tls_key": "dsa"])
        #expect(throws: UserError.self) {
            try TLSCertificate.KeyType(setting: component.settings["tls_key"], component: "edge")
        }
        let logging = Component(name: "edge", kind: .nginx, settings: ["access_log": "maybe"])
        #expect(throws: UserError("component 'edge': access_log 'maybe' must be true or false")) {
            try ComponentRecipe.accessLogSetting(logging)
        }
    }

    @Test(.enabled(if: Gateways.opensslInstalled, "needs openssl"))
    func certificatesAreECDSAByDefaultAndRSAWhenAsked() throws {
        let run = Gateways.runDirectory()
        for (keyType, algorithm) in [(TLSCertificate.KeyType.ecdsaP256, "id-ecPublicKey"), (.rsa2048, "rsaEncryption")]
        {
            let directory = run.appendingPathComponent(keyType.rawValue)
            let files = try TLSCertificate.generate(in: directory, keyType: keyType, commonName: "stacklab-test")
            let text = try HelperCommand.capture("openssl", ["x509", "-in", files.certificate, "-noout", "-text"])
                .output
            #expect(text.contains(algorithm), "\(keyType): \(text)")
            #expect(text.contains("IP Address:127.0.0.1") && text.contains("DNS:localhost"))
            let bundle = try String(contentsOfFile: files.bundle, encoding: .utf8)
            #expect(bundle.contains("BEGIN CERTIFICATE") && bundle.contains("PRIVATE KEY"))
        }
    }
}
