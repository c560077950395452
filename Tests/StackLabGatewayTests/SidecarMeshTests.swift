import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The mesh's data plane with real Envoy: the client's sidecar and the app's sidecar planned from a graph as a run
/// plans them, mutual TLS between them with SPIFFE identities checked on both sides, and the app's policy as
/// Envoy's RBAC filter.
@Suite(
    .serialized, .enabled(if: Gateways.opensslInstalled, "needs openssl"),
    .enabled(if: Gateways.isInstalled(.sidecar), "needs Envoy: stacklab install envoy"))
struct SidecarMeshTests {
    @Test(arguments: ["http1", "http2"])
    func theSidecarPairProxiesGetAndPostWithBodiesIntact(upstreamProtocol: String) async throws {
        let mesh = try await Mesh.start(clientSettings: ["upstream_protocol": upstreamProtocol])
        let get = try await HTTPExchange.send(port: mesh.entryPort, path: "/pair")
        #expect(get.status == 200 && get.body == "Hello, World!", "\(get.status) \(get.body)")
        let body = String(repeating: "mesh-bytes-0123456789;", count: 3_000)
        let post = try await HTTPExchange.send(port: mesh.entryPort, method: "POST", path: "/pair", body: body)
        #expect(post.status == 200 && post.body == body, "\(post.status), \(post.body.utf8.count) bytes back")
        #expect(mesh.app.requestCount(path: "/pair") == 2)
        // Between the sidecars: mutual TLS, each side naming the SPIFFE identity it expects of the other.
        let client = try mesh.config(of: "client-proxy")
        #expect(client.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/app""#))
        #expect(client.contains(upstreamProtocol == "http2" ? "http2_protocol_options" : "http_protocol_options"))
        let server = try mesh.config(of: "app-proxy")
        #expect(server.contains("require_client_certificate: true"))
        #expect(server.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/client""#))
        await mesh.stopLeavingNothing()
    }

    @Test func theServerSideSidecarLetsInOnlyTheRightIdentityFromTheRunsAuthority() async throws {
        let mesh = try await Mesh.start(withClient: false)
        let stranger = try TLSCertificate.makeAuthority(in: mesh.directory.appendingPathComponent("other-ca"))
        func certificate(
            by issuer: TLSCertificate.Authority, identity: String, _ folder: String
        ) throws
            -> GatewayConfiguration.TLSFiles
        {
            try TLSCertificate.issue(
                by: issuer, in: mesh.directory.appendingPathComponent(folder), name: folder, server: false,
                client: true, identity: identity)
        }
        let refusals: [(String, GatewayConfiguration.TLSFiles?)] = [
            ("no certificate", nil),
            ("another authority's", try certificate(by: stranger, identity: MeshIdentity.client, "stranger")),
            ("the wrong identity", try certificate(by: mesh.authority, identity: "edge", "edge")),
        ]
        for (what, files) in refusals {
            do {
                let reply = try await HTTPExchange.send(
                    port: mesh.serverPort, path: "/refused", trusting: mesh.authority.certificate, presenting: files,
                    timeout: .seconds(5))
                Issue.record("a client with \(what) got an answer: \(reply.status) \(reply.body)")
            } catch {
                // Refused in the handshake, as it should be.
            }
        }
        #expect(mesh.app.requestCount(path: "/refused") == 0)
        let right = try certificate(by: mesh.authority, identity: MeshIdentity.client, "client")
        let reply = try await HTTPExchange.send(
            port: mesh.serverPort, path: "/allowed", trusting: mesh.authority.certificate, presenting: right)
        #expect(reply.status == 200 && reply.body == "Hello, World!", "\(reply.status) \(reply.body)")
        await mesh.stopLeavingNothing()
    }

    @Test func theClientsSidecarRefusesAServerOfTheWrongIdentity() async throws {
        var mesh = try await Mesh.start(withClient: false)
        // A server with a certificate from the run's authority, but for identity db: the client's sidecar expects app.
        let impostorFiles = try TLSCertificate.issue(
            by: mesh.authority, in: mesh.directory.appendingPathComponent("impostor"), name: "impostor", server: true,
            client: false, identity: "db")
        let impostor = try await ConfiguredGateway.start(.envoy, upstreamPort: mesh.app.port, name: "impostor") {
            $0.tls = impostorFiles
            $0.clientAuthority = mesh.authority.certificate
        }
        let client = try await mesh.startClient(upstreamPort: impostor.port)
        let reply = try await HTTPExchange.send(port: client, path: "/impostor")
        #expect(reply.status == 503, "\(reply.status) \(reply.body)")
        #expect(mesh.app.requestCount(path: "/impostor") == 0)
        await impostor.stopLeavingNothing()
        await mesh.stopLeavingNothing()
    }

    @Test(arguments: [1, 10, 100, 1_000])
    func thePolicyAllowsAndDeniesAsWritten(rules: Int) async throws {
        let policy = SidecarPolicy(
            allow: [.init(from: [MeshIdentity.client], paths: ["/json", "/api/*"], methods: ["GET"])], rules: rules)
        let mesh = try await Mesh.start(policy: policy)
        for path in ["/json", "/api/v1/things?x=1"] {
            let allowed = try await HTTPExchange.send(port: mesh.entryPort, path: path)
            #expect(allowed.status == 200, "GET \(path): \(allowed.status) \(allowed.body)")
        }
        let deniedMethod = try await HTTPExchange.send(port: mesh.entryPort, method: "POST", path: "/json", body: "x")
        #expect(deniedMethod.status == 403, "POST /json: \(deniedMethod.status)")
        let deniedPath = try await HTTPExchange.send(port: mesh.entryPort, path: "/jsonx")
        #expect(deniedPath.status == 403, "GET /jsonx: \(deniedPath.status)")
        #expect(mesh.app.requestCount(path: "/json") == 1 && mesh.app.requestCount(path: "/jsonx") == 0)
        // The policy's size is what Envoy evaluates: the generated rules that never match, then the allow rule.
        let server = try mesh.config(of: "app-proxy")
        #expect(server.components(separatedBy: "a-never-").count - 1 == rules - 1)
        #expect(server.contains("envoy.filters.http.rbac"))
        await mesh.stopLeavingNothing()
    }

    @Test func aPeerThePolicyDoesNotNameIsDenied() async throws {
        let mesh = try await Mesh.start(policy: SidecarPolicy(allow: [.init(from: ["edge"])]))
        let reply = try await HTTPExchange.send(port: mesh.entryPort, path: "/json")
        #expect(reply.status == 403, "\(reply.status) \(reply.body)")
        #expect(mesh.app.requestCount(path: "/json") == 0)
        await mesh.stopLeavingNothing()
    }

    /// Every setting's values, in both roles and in a chain with TLS, pass Envoy's own check of its configuration.
    @Test func everyRenderedConfigurationPassesEnvoysValidation() async throws {
        let envoy = try #require(
            Gateways.locator.executable(for: ComponentSource.of(Component(name: "sidecar", kind: .sidecar))))
        let settings: [[String: String]] = [
            [:], ["access_log": "true"], ["stats": "false"], ["upstream_protocol": "http2"],
            ["concurrency": "4", "access_log": "true", "stats": "false", "upstream_protocol": "http1"],
        ]
        let policies: [SidecarPolicy?] =
            [nil]
            + [1, 10, 100, 1_000].map {
                SidecarPolicy(
                    allow: [
                        .init(from: [MeshIdentity.client], paths: ["/json"], methods: ["GET", "HEAD"]),
                        .init(paths: ["/api/*"]),
                    ], rules: max($0, 2))
            }
        let directory = Gateways.runDirectory()
        let authority = try TLSCertificate.makeAuthority(in: directory.appendingPathComponent("ca"))
        let ports = PortAllocator()
        var validated = 0
        for (index, setting) in settings.enumerated() {
            for tls in [false, true] {
                let run = directory.appendingPathComponent("v\(index)-\(tls)")
                var components = [
                    Component(name: "app-proxy", kind: .sidecar, settings: setting, policy: policies[index]),
                    Component(name: "client-proxy", kind: .sidecar, settings: setting),
                ]
                var graph: StackGraph? = Mesh.graph
                if tls {
                    // A sidecar as the entry of a chain, serving the run's self-signed certificate.
                    components = [Component(name: "edge-proxy", kind: .sidecar, tls: true, settings: setting)]
                    graph = nil
                }
                for component in components {
                    var context = LocalPlanContext(
                        port: try ports.next(),
                        upstream: ComponentEndpoint(port: try ports.next(), wireProtocol: .http),
                        binDirectory: URL(fileURLWithPath: "/nonexistent"), runDirectory: run, ports: ports)
                    context.transports = graph.map { LocalPlanContext.Transports(graph: $0, authority: authority) }
                    let plan = try ComponentRecipe.plan(component, in: context)
                    let file = run.appendingPathComponent(component.name).appendingPathComponent("envoy.yaml").path
                    let outcome = try HelperCommand.capture(envoy, ["--mode", "validate", "-c", file])
                    #expect(outcome.status == 0, "\(component.name) \(setting): \(outcome.output)")
                    #expect(plan.command.arguments.contains(setting["concurrency"] ?? "2"))
                    validated += 1
                }
            }
        }
        #expect(validated == settings.count * 3)
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func aSidecarThatCannotStartFailsWithItsLogTail() async throws {
        let mesh = try await Mesh.start(withClient: false)
        // Its key is gone before it starts: Envoy refuses the configuration and says why.
        var context = mesh.context(upstreamPort: mesh.serverPort)
        context.runDirectory = mesh.directory.appendingPathComponent("broken")
        let plan = try ComponentRecipe.plan(Mesh.clientSidecar([:]), in: context)
        try FileManager.default.removeItem(
            at: context.runDirectory.appendingPathComponent("client-proxy/tls-client/key.pem"))
        do {
            _ = try await mesh.supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
            Issue.record("a sidecar without its key started")
        } catch let error as UserError {
            #expect(error.message.contains("client-proxy"), "\(error.message)")
            #expect(error.message.contains("key.pem"), "the log tail does not name the missing key: \(error.message)")
        }
        await mesh.stopLeavingNothing()
    }
}

/// An app (a test server) behind its sidecar, and the client's sidecar in front, planned from ``graph`` with a
/// certificate authority made for the test, under one supervisor.
struct Mesh {
    static let graph = StackGraph(
        entry: .init(component: "app", transport: .mutualTLS, sidecar: "client-proxy"),
        sidecars: [.init(component: "app", sidecar: "app-proxy")])

    var app: TestServer
    var directory: URL
    var authority: TLSCertificate.Authority
    var supervisor: ProcessSupervisor
    var ports: PortAllocator
    var children: [ChildProcess] = []
    /// The app's sidecar: mutual TLS in.
    var serverPort = 0
    /// The client's sidecar: plain in, what a load run dials.
    var entryPort = 0

    static func clientSidecar(_ settings: [String: String]) -> Component {
        Component(name: "client-proxy", kind: .sidecar, settings: settings)
    }

    static func start(
        serverSettings: [String: String] = [:], clientSettings: [String: String] = [:], policy: SidecarPolicy? = nil,
        withClient: Bool = true, name: String = #function
    ) async throws -> Mesh {
        let directory = Gateways.runDirectory(name)
        let supervisor = try ProcessSupervisor(runDirectory: directory, grace: .seconds(5))
        var mesh = Mesh(
            app: try TestServer(), directory: directory,
            authority: try TLSCertificate.makeAuthority(in: directory.appendingPathComponent("ca")),
            supervisor: supervisor, ports: PortAllocator())
        let server = Component(name: "app-proxy", kind: .sidecar, settings: serverSettings, policy: policy)
        mesh.serverPort = try await mesh.launch(server, upstreamPort: mesh.app.port)
        if withClient {
            mesh.entryPort = try await mesh.startClient(upstreamPort: mesh.serverPort, settings: clientSettings)
        }
        return mesh
    }

    func context(upstreamPort: Int) -> LocalPlanContext {
        var context = LocalPlanContext(
            port: (try? ports.next()) ?? 0, upstream: ComponentEndpoint(port: upstreamPort, wireProtocol: .http),
            binDirectory: URL(fileURLWithPath: "/nonexistent"), runDirectory: directory, ports: ports)
        context.transports = .init(graph: Self.graph, authority: authority)
        return context
    }

    /// Starts the client's sidecar in front of `upstreamPort`; returns its port.
    mutating func startClient(upstreamPort: Int, settings: [String: String] = [:]) async throws -> Int {
        try await launch(Self.clientSidecar(settings), upstreamPort: upstreamPort)
    }

    private mutating func launch(_ component: Component, upstreamPort: Int) async throws -> Int {
        let plan = try ComponentRecipe.plan(component, in: context(upstreamPort: upstreamPort))
        children.append(try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30)))
        return plan.port
    }

    /// The configuration a sidecar was started with.
    func config(of name: String) throws -> String {
        try String(
            contentsOf: directory.appendingPathComponent(name).appendingPathComponent("envoy.yaml"), encoding: .utf8)
    }

    /// Stops every sidecar and checks that no Envoy of it is left.
    func stopLeavingNothing() async {
        let forked = children.flatMap { ProcessTree.descendants(of: $0.pid) }
        await supervisor.stopAll()
        let leftovers = (children.map(\.pid) + forked).filter(ProcessTree.isRunning)
        #expect(leftovers.isEmpty, "sidecars left processes running: \(leftovers)")
        try? await app.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
