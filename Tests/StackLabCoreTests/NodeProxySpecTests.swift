import Foundation
import Testing

@testable import StackLabCore

/// `node_proxies` in a graph variant: an ambient-style mesh, one shared proxy per node. Read into the graph with
/// the routes a run needs (who connects where, in which order things start), and every misuse reported at its
/// line and key.
struct NodeProxySpecTests {
    static let components = """
        components:
          api: { kind: app, runtime: swift }
          orders: { kind: app, runtime: swift }
          edge: { kind: envoy }
          secure: { kind: envoy, tls: true }
          postgres: { kind: postgres }
          node-a: { kind: node-proxy }
          node-b: { kind: node-proxy }
          node-c: { kind: node-proxy }
        """

    static func yaml(_ variant: String) -> String {
        StackGraphTests.yaml(variant, components: components)
    }

    static func problems(_ variant: String) -> [String] {
        StackGraphTests.problems(variant, components: components)
    }

    static let ambient = """
            entry: api
            hops:
              - api -> orders
              - api -> postgres
            node_proxies: { node-a: [client], node-b: [api], node-c: [orders, postgres] }
        """

    @Test func theClientAndEachHopBetweenNodesGoThroughBothNodesProxies() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml(Self.ambient), file: "g.yaml")
        let variant = try #require(spec.variants.first)
        let graph = try #require(variant.graph)
        #expect(graph.proxies.map(\.proxy) == ["node-a", "node-b", "node-c"])
        // The client dials its node proxy, which tunnels to the entry's.
        #expect(graph.entryListener == "node-a")
        #expect(graph.meshRoutes(of: "node-a") == [.init(from: "client", to: "api")])
        #expect(graph.meshRoutes(of: "node-b").map(\.to) == ["orders", "postgres"])
        // The node proxies let in the identities that send to each arrival.
        #expect(graph.meshSenders(to: "api") == ["client"] && graph.meshSenders(to: "postgres") == ["api"])
        #expect(graph.meshArrivals(of: "node-c") == ["orders", "postgres"])
        #expect(graph.upstreams(of: "api").map(\.to) == ["node-b", "node-b"])
        #expect(graph.meshListenerIndex(from: "api", to: "postgres") == 2)
        #expect(
            graph.nodeProxyUpstreams(of: "node-b") == [
                .init(from: "node-b", to: "api"), .init(from: "node-b", to: "node-c", transport: .mutualTLS),
                .init(from: "node-b", to: "node-c", transport: .mutualTLS),
            ])
        // The node proxies first (they connect on demand), then every component after what it sends to.
        #expect(graph.startOrder == ["node-a", "node-b", "node-c", "orders", "postgres", "api"])
        // Reports list the node proxies after the components, so costs count them.
        #expect(variant.stack == ["api", "orders", "postgres", "node-a", "node-b", "node-c"])
        #expect(spec.entryKind(of: variant) == .app)
    }

    @Test func aGraphWithoutNodeProxiesReadsAndStoresAsBefore() throws {
        let graph = try #require(try StackGraphTests.read(StackGraphTests.meshed).graph)
        #expect(graph.nodeProxies == nil)
        let encoded = String(decoding: try JSONEncoder().encode(graph), as: UTF8.self)
        #expect(!encoded.contains("nodeProxies"))
        #expect(try JSONDecoder().decode(StackGraph.self, from: Data(encoded.utf8)) == graph)
    }

    @Test func theShippedMeshExampleIsValid() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/mesh.yaml")
        let spec = try ExperimentSpec(yaml: try String(contentsOf: file, encoding: .utf8), file: "mesh.yaml")
        #expect(spec.variants.map(\.name).contains("ambient"))
        #expect(spec.graph(of: spec.variants.last!)?.entryListener == "node-a")
    }

    @Test(arguments: [
        (
            "    entry: api\n    node_proxies: { edge: [client], node-b: [api] }",
            "g.yaml:15: variants.v.node_proxies.edge: 'edge' (kind envoy) cannot be a node proxy; define a component "
                + "of kind node-proxy"
        ),
        (
            "    entry: api\n    node_proxies: { node-a: [client, api], node-b: [api] }",
            "g.yaml:15: variants.v.node_proxies.node-b[0]: 'api' is on the nodes of both 'node-a' and 'node-b'; a "
                + "component runs on one node"
        ),
        (
            "    entry: api\n    node_proxies: { node-a: [client, api], node-b: [orders] }",
            "g.yaml:15: variants.v.node_proxies.node-b: 'orders' is on the node of 'node-b' but not in the stack; add "
                + "a hop to it or remove it"
        ),
        (
            "    entry: api\n    node_proxies: { node-a: [client, api], node-b: [] }",
            "g.yaml:15: variants.v.node_proxies.node-b: node proxy 'node-b' has no components on its node; list them, "
                + "e.g. [client] or [app]"
        ),
        (
            "    entry: api\n    node_proxies: { node-a: [client], node-x: [api] }",
            "g.yaml:15: variants.v.node_proxies.node-x: component 'node-x' is not defined"
        ),
        (
            "    entry: edge\n    hops: [edge -> api: mtls]\n    node_proxies: { node-a: [client, edge], node-b: [api] }",
            "g.yaml:15: variants.v.hops[0]: 'edge -> api' crosses between node proxies, which carry it over mutual "
                + "TLS; it reaches them plain, so leave its transport out (and tls: false on 'api')"
        ),
        (
            "    entry: secure\n    hops: [secure -> api]\n    node_proxies: { node-a: [client], node-b: [secure, api] }",
            "g.yaml:14: variants.v.entry: 'client -> secure' crosses between node proxies, which carry it over "
                + "mutual TLS; it reaches them plain, so leave its transport out (and tls: false on 'secure')"
        ),
        (
            "    entry: api\n    node_proxies: { node-a: [client, api], node-b: [client] }",
            "g.yaml:15: variants.v.node_proxies.node-b[0]: 'client' is on the nodes of both 'node-a' and 'node-b'; a "
                + "component runs on one node"
        ),
    ])
    func eachMisuseIsReportedAtItsLineAndKey(variant: String, expected: String) {
        let problems = Self.problems(variant)
        #expect(problems.contains { $0.hasPrefix(expected) }, "\(problems)")
    }

    @Test func aNodeProxyThatCarriesNothingOrIsAddressedByAHopIsRefused() {
        let idle = Self.problems("    entry: api\n    node_proxies: { node-a: [client, api], node-b: [postgres] }")
        #expect(idle.contains { $0.contains("node proxy 'node-b' carries no request between nodes") }, "\(idle)")
        #expect(idle.contains { $0.contains("'postgres' is on the node of 'node-b' but not in the stack") }, "\(idle)")
        let addressed = Self.problems(
            "    entry: api\n    hops: [api -> node-c]\n    node_proxies: { node-a: [client], node-b: [api] }")
        #expect(
            addressed.contains { $0.contains("'node-c' is a node proxy; it carries hops between nodes") },
            "\(addressed)")
        let twoRoles = Self.problems(
            "    entry: api\n    hops: [api -> node-b]\n    node_proxies: { node-a: [client], node-b: [api] }")
        #expect(
            twoRoles.contains(
                "g.yaml:16: variants.v.node_proxies.node-b: 'node-b' is a node proxy and also in the hops or sidecars; "
                    + "a component has one role in a stack"), "\(twoRoles)")
    }

    /// A node proxy's policy is L4, as ztunnel's: identities only, each a component of the file or `client`.
    @Test func aNodeProxysPolicyAllowsByIdentityOnly() throws {
        func components(_ policy: String) -> String {
            Self.components.replacingOccurrences(
                of: "node-b: { kind: node-proxy }", with: "node-b: { kind: node-proxy, policy: \(policy) }")
        }
        let spec = try ExperimentSpec(
            yaml: StackGraphTests.yaml(
                Self.ambient, components: components("{ allow: [{ from: client }], rules: 10 }")),
            file: "g.yaml")
        let nodeB = try #require(spec.components.first { $0.name == "node-b" })
        #expect(nodeB.policy == SidecarPolicy(allow: [.init(from: [MeshIdentity.client])], rules: 10))
        let withPath = StackGraphTests.problems(
            Self.ambient, components: components("{ allow: [{ from: client, paths: [/json] }] }"))
        #expect(
            withPath.contains {
                $0.hasSuffix(
                    "components.node-b.policy: a node proxy's policy is L4, as ztunnel's: it allows by identity (from) "
                        + "only; paths and methods need a sidecar")
            }, "\(withPath)")
        let unknown = StackGraphTests.problems(Self.ambient, components: components("{ allow: [{ from: ordrs }] }"))
        #expect(unknown.contains { $0.contains("unknown identity 'ordrs'; did you mean 'orders'?") }, "\(unknown)")
    }
}
