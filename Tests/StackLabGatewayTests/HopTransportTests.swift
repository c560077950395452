import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// TLS and mutual TLS between two real gateways, with a certificate authority made for the run: the front gateway
/// verifies the back one against the authority and presents a client certificate; the back one requires it and
/// refuses a client without one. Every gateway is tested once in front and once behind.
@Suite(
    .serialized, .enabled(if: Gateways.opensslInstalled, "needs openssl"),
    .enabled(
        if: Gateways.kinds.allSatisfy(Gateways.isInstalled),
        "needs all five gateways: stacklab install nginx haproxy caddy traefik envoy"))
struct HopTransportTests {
    /// Front then back: every gateway once on each side.
    static let pairs: [(ComponentKind, ComponentKind)] = [
        (.nginx, .envoy), (.envoy, .nginx), (.haproxy, .traefik), (.traefik, .caddy), (.caddy, .haproxy),
    ]

    @Test func theAuthorityIssuesServerAndClientCertificatesWithPrivateKeys() throws {
        let directory = Gateways.runDirectory()
        let authority = try TLSCertificate.makeAuthority(in: directory.appendingPathComponent("ca"))
        let server = try TLSCertificate.issue(
            by: authority, in: directory.appendingPathComponent("server"), name: "back", server: true, client: false)
        let client = try TLSCertificate.issue(
            by: authority, in: directory.appendingPathComponent("client"), name: "front", server: false, client: true)
        for secret in [authority.key, server.key, server.bundle, client.key, client.bundle] {
            var info = stat()
            #expect(stat(secret, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "\(secret) has mode \(String(info.st_mode & 0o777, radix: 8))")
        }
        // openssl itself checks the chain and the purpose of each certificate.
        for (certificate, purpose) in [(server.certificate, "sslserver"), (client.certificate, "sslclient")] {
            let outcome = try HelperCommand.capture(
                "openssl", ["verify", "-CAfile", authority.certificate, "-purpose", purpose, certificate])
            #expect(outcome.status == 0, "\(outcome.output)")
        }
        let wrongPurpose = try HelperCommand.capture(
            "openssl", ["verify", "-CAfile", authority.certificate, "-purpose", "sslserver", client.certificate])
        #expect(wrongPurpose.status != 0)
        let names = try HelperCommand.capture(
            "openssl", ["x509", "-in", server.certificate, "-noout", "-ext", "subjectAltName"])
        #expect(names.output.contains("IP Address:127.0.0.1") && names.output.contains("DNS:localhost"))
        try? FileManager.default.removeItem(at: directory)
    }

    @Test(arguments: pairs)
    func mutualTLSBetweenGatewaysPassesRequestsAndRefusesAClientWithoutACertificate(
        front: ComponentKind, back: ComponentKind
    ) async throws {
        let setup = try await BackBehindMutualTLS.start(back)
        let (upstream, authority, backGateway) = (setup.upstream, setup.authority, setup.gateway)
        let clientFiles = try setup.clientCertificate(by: authority)
        let frontGateway = try await ConfiguredGateway.start(front, upstreamPort: backGateway.port, name: "front") {
            $0.upstreamTLS = GatewayConfiguration.UpstreamTLS(authority: authority.certificate, client: clientFiles)
        }
        // Through both: plain to the front, mutual TLS between them, plain to the upstream.
        for _ in 0..<3 {
            let reply = try await HTTPExchange.send(port: frontGateway.port, path: "/through")
            #expect(reply.status == 200 && reply.body == "Hello, World!", "\(reply.status) \(reply.body)")
        }
        #expect(upstream.lastRequestHead(path: "/through")?.hasPrefix("GET /through HTTP/1.1") == true)

        // A client that trusts the authority but has no certificate of its own is refused: nginx completes the
        // handshake and answers 400 without forwarding, the others end the handshake.
        do {
            let reply = try await HTTPExchange.send(
                port: backGateway.port, path: "/direct", trusting: authority.certificate, timeout: .seconds(5))
            #expect(reply.status == 400, "the back gateway answered a client without a certificate: \(reply.status)")
        } catch {
            #expect(back != .nginx, "nginx refused in the handshake: \(error)")
        }
        #expect(upstream.lastRequestHead(path: "/direct") == nil)
        await frontGateway.stopLeavingNothing()
        try await setup.stop()
    }

    @Test(arguments: pairs)
    func aFrontGatewayWithoutTheClientCertificateOrTheAuthorityGetsNothingThrough(
        front: ComponentKind, back: ComponentKind
    ) async throws {
        let setup = try await BackBehindMutualTLS.start(back)
        let (upstream, authority, backGateway) = (setup.upstream, setup.authority, setup.gateway)
        let stranger = try TLSCertificate.makeAuthority(in: setup.directory.appendingPathComponent("other-ca"))
        let strangerClient = try setup.clientCertificate(by: stranger)
        // TLS without a client certificate: the back gateway refuses it (nginx with 400, which the front passes
        // back; the others in the handshake, and the front then answers 502 or 503).
        let noCertificate = try await ConfiguredGateway.start(front, upstreamPort: backGateway.port, name: "plain") {
            $0.upstreamTLS = GatewayConfiguration.UpstreamTLS(authority: authority.certificate)
        }
        // A client certificate from another authority: refused too.
        let otherAuthority = try await ConfiguredGateway.start(front, upstreamPort: backGateway.port, name: "other") {
            $0.upstreamTLS = GatewayConfiguration.UpstreamTLS(authority: authority.certificate, client: strangerClient)
        }
        // Trusting another authority: the front refuses the back's certificate.
        let untrusting = try await ConfiguredGateway.start(front, upstreamPort: backGateway.port, name: "untrusting") {
            $0.upstreamTLS = GatewayConfiguration.UpstreamTLS(authority: stranger.certificate, client: strangerClient)
        }
        // Traefik answers 500 for an upstream certificate it cannot verify, the others 502 or 503.
        let refusedByFront = front == .traefik ? [500, 502, 503] : [502, 503]
        let refusedByBack = back == .nginx ? [400] : refusedByFront
        for (gateway, expected) in [
            (noCertificate, refusedByBack), (otherAuthority, refusedByBack), (untrusting, refusedByFront),
        ] {
            let reply = try await HTTPExchange.send(port: gateway.port, path: "/refused")
            #expect(expected.contains(reply.status), "\(gateway.name): \(reply.status) \(reply.body)")
        }
        #expect(upstream.lastRequestHead(path: "/refused") == nil)
        for gateway in [noCertificate, otherAuthority, untrusting] { await gateway.stopLeavingNothing() }
        try await setup.stop()
    }
}

extension HopTransportTests {
    /// The graph's transports set each gateway's configuration: the client on TLS to nginx, nginx on mutual TLS to
    /// the app's Envoy sidecar, the sidecar plain to the app (here a test server).
    @Test func aGraphsTransportsConfigureEachGatewayOnBothSides() async throws {
        let graph = StackGraph(
            entry: .init(component: "edge", transport: .tls),
            hops: [.init(from: "edge", to: "app", transport: .mutualTLS)],
            sidecars: [.init(component: "app", sidecar: "app-proxy")])
        let app = try TestServer()
        let directory = Gateways.runDirectory()
        let authority = try TLSCertificate.makeAuthority(in: directory.appendingPathComponent("ca"))
        var started: [ConfiguredGateway] = []
        var upstreamPort = app.port
        for (name, kind) in [("app-proxy", ComponentKind.envoy), ("edge", .nginx)] {
            #expect(graph.startOrder.firstIndex(of: name) != nil)
            let gateway = try await ConfiguredGateway.start(kind, upstreamPort: upstreamPort, name: name) {
                try $0.applyTransports(
                    of: name, in: graph, authority: authority, directory: URL(fileURLWithPath: $0.directory))
            }
            started.append(gateway)
            upstreamPort = gateway.port
        }
        let (proxy, edge) = (started[0], started[1])
        let reply = try await HTTPExchange.send(port: edge.port, path: "/meshed", trusting: authority.certificate)
        #expect(reply.status == 200 && reply.body == "Hello, World!", "\(reply.status) \(reply.body)")
        #expect(app.lastRequestHead(path: "/meshed") != nil)
        // The sidecar takes only clients with a certificate from the run's authority.
        await #expect(throws: (any Error).self) {
            _ = try await HTTPExchange.send(
                port: proxy.port, path: "/direct", trusting: authority.certificate, timeout: .seconds(5))
        }
        for gateway in started.reversed() { await gateway.stopLeavingNothing() }
        try await app.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A plain upstream behind a gateway that terminates mutual TLS with a certificate authority made for the test.
struct BackBehindMutualTLS {
    var upstream: TestServer
    var directory: URL
    var authority: TLSCertificate.Authority
    var gateway: ConfiguredGateway

    static func start(_ kind: ComponentKind, name: String = #function) async throws -> BackBehindMutualTLS {
        let upstream = try TestServer()
        let directory = Gateways.runDirectory(name)
        let authority = try TLSCertificate.makeAuthority(in: directory.appendingPathComponent("ca"))
        let serverFiles = try TLSCertificate.issue(
            by: authority, in: directory.appendingPathComponent("back-tls"), name: "back", server: true, client: false)
        let gateway = try await ConfiguredGateway.start(kind, upstreamPort: upstream.port, name: "back") {
            $0.tls = serverFiles
            $0.clientAuthority = authority.certificate
        }
        return BackBehindMutualTLS(upstream: upstream, directory: directory, authority: authority, gateway: gateway)
    }

    /// A client certificate for the front gateway, signed by `issuer`.
    func clientCertificate(by issuer: TLSCertificate.Authority) throws -> GatewayConfiguration.TLSFiles {
        try TLSCertificate.issue(
            by: issuer, in: directory.appendingPathComponent("front-tls"), name: "front", server: false, client: true)
    }

    func stop() async throws {
        await gateway.stopLeavingNothing()
        try await upstream.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A gateway started from a `GatewayConfiguration` a test sets, with its renderer, as a run's recipe starts it.
struct ConfiguredGateway {
    var name: String
    var port: Int
    var child: ChildProcess
    var supervisor: ProcessSupervisor

    static func start(
        _ kind: ComponentKind, upstreamPort: Int, name: String,
        configure: (inout GatewayConfiguration) throws -> Void
    ) async throws -> ConfiguredGateway {
        let renderer = try #require(ComponentRecipe.renderer(for: kind))
        let executable = try #require(
            Gateways.locator.executable(for: ComponentSource.of(Component(name: name, kind: kind))))
        let supervisor = try ProcessSupervisor(runDirectory: Gateways.runDirectory(name), grace: .seconds(5))
        let ports = PortAllocator()
        let directory = supervisor.runDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var gateway = GatewayConfiguration(
            name: name, port: try ports.next(), upstreamPort: upstreamPort, readyPort: try ports.next(), workers: 1,
            directory: directory.path)
        gateway.runsAsRoot = geteuid() == 0
        try configure(&gateway)
        for file in renderer.configFiles(gateway) {
            try file.text.write(to: directory.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(renderer.environment(gateway)) { _, new in new }
        let command = LaunchCommand(
            name: name, executable: executable, arguments: renderer.arguments(gateway), environment: environment,
            workingDirectory: directory.path)
        let child = try await supervisor.start(
            command, readiness: .http(port: gateway.readyPort, path: GatewayConfiguration.readyPath),
            timeout: .seconds(30))
        return ConfiguredGateway(name: name, port: gateway.port, child: child, supervisor: supervisor)
    }

    /// Stops the gateway and checks that nothing of it is left running.
    func stopLeavingNothing() async {
        let forked = ProcessTree.descendants(of: child.pid)
        await supervisor.stop(child)
        let leftovers = ([child.pid] + forked).filter(ProcessTree.isRunning) + ProcessTree.groupMembers(child.pid)
        #expect(leftovers.isEmpty, "\(name) left processes running: \(leftovers)")
    }
}
