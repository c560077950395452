import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The ambient-style node proxy with real Envoy: a pair (the client's node, the apps' node) carries two apps'
/// GET and POST over HTTP/2 CONNECT tunnels and mutual TLS; a client without a certificate from the run's
/// authority, or with one from another authority, gets nothing through; the configuration passes
/// `envoy --mode validate`; stopping leaves no Envoy.
@Suite(
    .serialized, .enabled(if: Gateways.opensslInstalled, "needs openssl"),
    .enabled(if: Gateways.isInstalled(.envoy), "needs envoy: stacklab install envoy"))
struct NodeProxyTests {
    /// The client's side (`front`, standing for a component on node-a) sends to two apps on node-b.
    static let graph = StackGraph(
        entry: .init(component: "front"),
        hops: [.init(from: "front", to: "app1"), .init(from: "front", to: "app2")],
        nodeProxies: [
            .init(proxy: "node-a", members: [StackGraph.client, "front"]),
            .init(proxy: "node-b", members: ["app1", "app2"]),
        ])

    /// Two apps, their node proxy and the client's node proxy, planned as a run plans them, started and ready.
    struct Pair {
        var apps: [TestServer]
        var supervisor: ProcessSupervisor
        var plans: [String: LocalComponentPlan]
        var children: [ChildProcess]
        var authority: TLSCertificate.Authority
        var graph: StackGraph

        static func start(
            name: String = #function, graph: StackGraph = NodeProxyTests.graph, policy: SidecarPolicy? = nil,
            authorityFor nodeA: TLSCertificate.Authority? = nil, nodeBPort: Int? = nil
        ) async throws -> Pair {
            let apps = [try TestServer(), try TestServer()]
            let supervisor = try ProcessSupervisor(runDirectory: Gateways.runDirectory(name), grace: .seconds(5))
            let authority = try TLSCertificate.makeAuthority(
                in: supervisor.runDirectory.appendingPathComponent("ca"))
            let ports = PortAllocator()
            let ownPort = try ports.next()
            let peerPort = try nodeBPort ?? ports.next()
            let reserved = ["node-a": ownPort, "node-b": peerPort, "app1": apps[0].port, "app2": apps[1].port]
            var plans: [String: LocalComponentPlan] = [:]
            var children: [ChildProcess] = []
            for proxy in nodeBPort == nil ? ["node-b", "node-a"] : ["node-a"] {
                var context = LocalPlanContext(
                    port: reserved[proxy]!, binDirectory: supervisor.runDirectory,
                    runDirectory: supervisor.runDirectory, ports: ports, locator: Gateways.locator)
                context.upstreams = LocalStack.upstreamEndpoints(
                    of: proxy, in: graph, plans: plans, reserved: reserved)
                context.transports = .init(
                    graph: graph, authority: proxy == "node-a" ? nodeA ?? authority : authority)
                let component = Component(
                    name: proxy, kind: .nodeProxy, settings: ["workers": "1"],
                    resources: Resources(both: .init(cpu: 1)), policy: proxy == "node-b" ? policy : nil)
                let plan = try ComponentRecipe.plan(component, in: context)
                plans[proxy] = plan
                children.append(
                    try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30)))
            }
            return Pair(
                apps: apps, supervisor: supervisor, plans: plans, children: children, authority: authority, graph: graph
            )
        }

        /// Where `sender` connects for `app`: node-a's listener for the route, as a run hands it over.
        func listener(from sender: String = "front", for app: String) throws -> Int {
            let index = try #require(graph.meshListenerIndex(from: sender, to: app))
            return try #require(plans["node-a"]).endpoints[index].port
        }

        /// Stops every Envoy and checks that none is left.
        func stopLeavingNothing() async throws {
            let pids = children.flatMap { [$0.pid] + ProcessTree.descendants(of: $0.pid) }
            await supervisor.stopAll()
            let leftovers = pids.filter(ProcessTree.isRunning)
            #expect(leftovers.isEmpty, "node proxies left processes running: \(leftovers)")
            for app in apps { try await app.shutdown() }
            try? FileManager.default.removeItem(at: supervisor.runDirectory)
        }
    }

    @Test func aNodeProxyPairCarriesTwoAppsGetAndPostOverMutualTLS() async throws {
        let pair = try await Pair.start()
        for (index, app) in ["app1", "app2"].enumerated() {
            let port = try pair.listener(for: app)
            let get = try RawHTTPExchange.send(port: port, path: "/\(app)/hello")
            #expect(get.status == 200 && get.body == "Hello, World!", "\(app): \(get.status) \(get.body)")
            let body = "\(app) " + String(repeating: "x", count: 3000)
            let post = try RawHTTPExchange.send(port: port, method: "POST", path: "/echo", body: body)
            #expect(post.status == 200 && post.body == body, "\(app): POST \(post.status)")
            // Each app saw its own requests and none of the other's.
            #expect(pair.apps[index].lastRequestHead(path: "/\(app)/hello") != nil)
            #expect(pair.apps[1 - index].lastRequestHead(path: "/\(app)/hello") == nil)
        }
        // The tunnel listener takes only clients with a certificate from the run's authority: plain HTTP, and TLS
        // without a client certificate, get nothing through.
        let tunnel = try #require(pair.plans["node-b"]).port
        await #expect(throws: (any Error).self) {
            _ = try await HTTPExchange.send(port: tunnel, path: "/plain", timeout: .seconds(5))
        }
        await #expect(throws: (any Error).self) {
            _ = try await HTTPExchange.send(
                port: tunnel, path: "/anonymous", trusting: pair.authority.certificate, timeout: .seconds(5))
        }
        for app in pair.apps {
            #expect(app.lastRequestHead(path: "/plain") == nil && app.lastRequestHead(path: "/anonymous") == nil)
        }
        try await pair.stopLeavingNothing()
    }

    @Test func aNodeProxyWithAnotherAuthoritysCertificateGetsNothingThrough() async throws {
        let pair = try await Pair.start()
        let stranger = try TLSCertificate.makeAuthority(
            in: pair.supervisor.runDirectory.appendingPathComponent("other-ca"))
        // A second client-side node proxy, its certificate (and trust) from another authority, to the same node-b.
        let foreign = try await Pair.start(authorityFor: stranger, nodeBPort: try #require(pair.plans["node-b"]).port)
        do {
            let reply = try RawHTTPExchange.send(
                port: try foreign.listener(for: "app1"), path: "/foreign", timeout: .seconds(5))
            Issue.record("a node proxy of another authority got an answer: \(reply.status)")
        } catch {
            // Refused: the tunnel's handshake fails and the connection closes with no reply.
        }
        #expect(pair.apps.allSatisfy { $0.lastRequestHead(path: "/foreign") == nil })
        // The genuine pair still works.
        let reply = try RawHTTPExchange.send(port: try pair.listener(for: "app1"), path: "/genuine")
        #expect(reply.status == 200)
        try await foreign.stopLeavingNothing()
        try await pair.stopLeavingNothing()
    }

    /// Two senders on node-a, each tunnelled with its own identity: the client to app1, front to app2.
    static let twoSenders = StackGraph(
        entry: .init(component: "app1"), hops: [.init(from: "front", to: "app2")],
        nodeProxies: [
            .init(proxy: "node-a", members: [StackGraph.client, "front"]),
            .init(proxy: "node-b", members: ["app1", "app2"]),
        ])

    /// As ztunnel does: each tunnel presents its sender's SPIFFE identity and checks the destination's, and the
    /// destination's node proxy enforces an L4 policy by identity. Without the policy both senders are served; with
    /// one that allows only the client, front's connection is refused and the client's served.
    @Test(arguments: [false, true])
    func anL4PolicyByIdentityServesTheAllowedSenderAndRefusesTheOther(withPolicy: Bool) async throws {
        let policy = withPolicy ? SidecarPolicy(allow: [.init(from: [MeshIdentity.client])], rules: 100) : nil
        let pair = try await Pair.start(graph: Self.twoSenders, policy: policy)
        let allowed = try RawHTTPExchange.send(
            port: try pair.listener(from: StackGraph.client, for: "app1"), path: "/allowed")
        #expect(allowed.status == 200 && allowed.body == "Hello, World!", "\(allowed.status) \(allowed.body)")
        var refused = false
        do {
            let reply = try RawHTTPExchange.send(
                port: try pair.listener(from: "front", for: "app2"), path: "/front", timeout: .seconds(5))
            #expect(reply.status == 200, "\(reply.status) \(reply.body)")
        } catch {
            refused = true
        }
        #expect(refused == withPolicy, withPolicy ? "front got through a policy that allows only client" : "")
        #expect((pair.apps[1].lastRequestHead(path: "/front") != nil) == !withPolicy)
        #expect(pair.apps[0].lastRequestHead(path: "/allowed") != nil)
        // The identities in the configuration: node-a presents each sender's and checks each destination's; node-b
        // serves each arrival's, lets in each one's senders, and with the policy runs Envoy's network RBAC.
        let nodeA = try #require(pair.plans["node-a"]?.configFiles.first).text
        for identity in ["app1", "app2"] {
            #expect(nodeA.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/\#(identity)""#))
        }
        #expect(nodeA.contains("client-to-app1") && nodeA.contains("front-to-app2"))
        let nodeB = try #require(pair.plans["node-b"]?.configFiles.first).text
        #expect(nodeB.contains(#"server_names: ["app2"]"#))
        #expect(nodeB.contains(#"exact: "spiffe://stacklab.local/ns/default/sa/front""#))
        #expect(nodeB.contains("envoy.filters.network.rbac") == withPolicy)
        try await pair.stopLeavingNothing()
    }

    @Test func theRenderedConfigurationsPassEnvoysOwnValidation() async throws {
        let pair = try await Pair.start(policy: SidecarPolicy(allow: [.init(from: ["front"])], rules: 10))
        let envoy = try #require(
            Gateways.locator.executable(for: ComponentSource.of(Component(name: "node-a", kind: .nodeProxy))))
        for name in ["node-a", "node-b"] {
            let plan = try #require(pair.plans[name])
            let config = pair.supervisor.runDirectory.appendingPathComponent(name).appendingPathComponent(
                "envoy.yaml")
            #expect(plan.configFiles.first?.text.contains("tunneling_config") == (name == "node-a"))
            #expect(plan.configFiles.first?.text.contains("require_client_certificate: true") == (name == "node-b"))
            let outcome = try HelperCommand.capture(
                envoy, ["--mode", "validate", "-c", config.path, "--disable-hot-restart", "--log-level", "error"])
            #expect(outcome.status == 0, "\(name): \(outcome.output)")
        }
        try await pair.stopLeavingNothing()
    }

    @Test func outsideAGraphANodeProxyIsAPlainTCPProxyToTheNextComponent() async throws {
        let upstream = try TestServer()
        let supervisor = try ProcessSupervisor(runDirectory: Gateways.runDirectory(), grace: .seconds(5))
        let ports = PortAllocator()
        let plan = try ComponentRecipe.plan(
            Component(name: "node", kind: .nodeProxy, settings: ["workers": "1"]),
            in: LocalPlanContext(
                port: try ports.next(), upstream: ComponentEndpoint(port: upstream.port, wireProtocol: .http),
                binDirectory: supervisor.runDirectory, runDirectory: supervisor.runDirectory, ports: ports,
                locator: Gateways.locator))
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
        let reply = try RawHTTPExchange.send(port: plan.port, path: "/through")
        #expect(reply.status == 200 && reply.body == "Hello, World!")
        let forked = ProcessTree.descendants(of: child.pid)
        await supervisor.stopAll()
        #expect(([child.pid] + forked).filter(ProcessTree.isRunning).isEmpty)
        try await upstream.shutdown()
        #expect(throws: UserError.self) {
            _ = try ComponentRecipe.plan(
                Component(name: "node", kind: .nodeProxy, settings: ["workres": "1"]),
                in: LocalPlanContext(
                    port: 1, upstream: ComponentEndpoint(port: 2, wireProtocol: .http),
                    binDirectory: supervisor.runDirectory, runDirectory: supervisor.runDirectory,
                    locator: Gateways.locator))
        }
    }
}
