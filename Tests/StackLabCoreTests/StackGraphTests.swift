import Foundation
import Testing

@testable import StackLabCore

/// A stack as a graph: the chain form reads as before, the graph form gives hops with transports and sidecars, and
/// every rule of a graph is reported at the line of what breaks it.
struct StackGraphTests {
    static let components = """
        components:
          gateway: { kind: nginx, tls: true }
          edge: { kind: envoy }
          app: { kind: app, runtime: swift }
          app-proxy: { kind: envoy }
          other-proxy: { kind: haproxy }
          postgres: { kind: postgres }
          redis: { kind: redis }
          nginx: { kind: nginx }
        """

    /// An experiment whose `variants:` mapping holds `variant` under the name `v` (indented by the caller).
    static func yaml(_ variant: String, components: String = components) -> String {
        """
        name: graphs
        workload: { protocol: http, path: /json, rate: 100, duration: 1s }
        \(components)
        variants:
          v:
        \(variant)
        """
    }

    static func read(_ variant: String) throws -> Variant {
        try #require(try ExperimentSpec(yaml: yaml(variant), file: "g.yaml").variants.first)
    }

    /// The problem lines of a variant that must be refused.
    static func problems(_ variant: String, components: String = components) -> [String] {
        do {
            _ = try ExperimentSpec(yaml: yaml(variant, components: components), file: "g.yaml")
            return []
        } catch let error as SpecError {
            return error.lines
        } catch {
            return ["\(error)"]
        }
    }

    static let meshed = """
            entry: gateway
            hops:
              - gateway -> app: mtls
              - app -> postgres
              - app -> redis
            sidecars: { app: app-proxy }
        """

    // MARK: Reading

    @Test func aListStillReadsAsAChainWithTheTransportsItsTLSImplies() throws {
        let spec = try ExperimentSpec(
            yaml: Self.yaml("    [gateway, app, postgres]").replacingOccurrences(of: "  v:\n    [", with: "  v: ["),
            file: "g.yaml")
        let variant = try #require(spec.variants.first)
        #expect(variant.stack == ["gateway", "app", "postgres"])
        #expect(variant.graph == nil)
        let graph = try #require(spec.graph(of: variant))
        #expect(graph.entry == StackGraph.Entry(component: "gateway", transport: .tls))
        #expect(graph.hops == [.init(from: "gateway", to: "app"), .init(from: "app", to: "postgres")])
        #expect(graph.isChain)
        #expect(graph.startOrder == ["postgres", "app", "gateway"])
    }

    @Test func theGraphFormGivesHopsTransportsAndSidecars() throws {
        let variant = try Self.read(Self.meshed)
        let graph = try #require(variant.graph)
        // The client's transport follows the entry's tls: true.
        #expect(graph.entry == StackGraph.Entry(component: "gateway", transport: .tls))
        #expect(
            graph.hops == [
                .init(from: "gateway", to: "app", transport: .mutualTLS), .init(from: "app", to: "postgres"),
                .init(from: "app", to: "redis"),
            ])
        #expect(graph.sidecars == [.init(component: "app", sidecar: "app-proxy")])
        #expect(!graph.isChain)
        // The chain view: the order a request first reaches each component, the sidecar before its component.
        #expect(variant.stack == ["gateway", "app-proxy", "app", "postgres", "redis"])
        // Everything after what it sends to, the sidecar right after its component.
        #expect(graph.startOrder == ["postgres", "redis", "app", "app-proxy", "gateway"])
        // The gateway connects to the app's sidecar, which forwards plain to the app.
        #expect(graph.upstreams(of: "gateway") == [.init(from: "gateway", to: "app-proxy", transport: .mutualTLS)])
        #expect(graph.upstreams(of: "app-proxy") == [.init(from: "app-proxy", to: "app", transport: .plain)])
        #expect(graph.upstreams(of: "app").map(\.to) == ["postgres", "redis"])
        #expect(graph.inboundTransport(of: "app-proxy") == .mutualTLS)
        #expect(graph.inboundTransport(of: "app") == .plain)
        #expect(graph.inboundTransport(of: "gateway") == .tls)
    }

    @Test func theEntryCanNameItsTransportAndHopsTheirs() throws {
        let graph = try #require(
            try Self.read(
                """
                    entry: { to: edge, transport: plain }
                    hops: [edge -> nginx: plain, nginx -> app]
                """
            ).graph)
        #expect(graph.entry == StackGraph.Entry(component: "edge", transport: .plain))
        #expect(graph.hops.map(\.transport) == [.plain, .plain])
        #expect(graph.isChain)
    }

    @Test func anEntryAloneIsAStackOfOne() throws {
        let variant = try Self.read("    entry: app")
        #expect(variant.stack == ["app"])
        #expect(variant.graph?.startOrder == ["app"])
    }

    @Test func aTransportLeftOutIsTLSIntoAComponentWithTLS() throws {
        let graph = try #require(try Self.read("    entry: edge\n    hops: [edge -> gateway, gateway -> app]").graph)
        #expect(graph.hops.map(\.transport) == [.tls, .plain])
        #expect(graph.entry.transport == .plain)
    }

    @Test func storedRunsWithoutAGraphStillDecode() throws {
        let old = #"{"name":"nginx","stack":["nginx","app"]}"#
        let variant = try JSONDecoder().decode(Variant.self, from: Data(old.utf8))
        #expect(variant == Variant(name: "nginx", stack: ["nginx", "app"]))
        let graph = try #require(try Self.read(Self.meshed).graph)
        let encoded = try JSONEncoder().encode(Variant(name: "m", graph: graph))
        #expect(try JSONDecoder().decode(Variant.self, from: encoded).graph == graph)
    }

    /// A graph of 5,000 gateways in a row, and the same closed into a cycle: read and checked without exhausting
    /// the stack (the walks are iterative), the cycle reported once.
    @Test func aVeryLongGraphReadsAndItsCycleIsReportedOnce() throws {
        let count = 5_000
        var components = "components:\n  app: { kind: app, runtime: swift }\n"
        var hops = ""
        for index in 0..<count {
            components += "  g\(index): { kind: nginx }\n"
            hops += "      - g\(index) -> \(index + 1 < count ? "g\(index + 1)" : "app")\n"
        }
        let long = Self.yaml("    entry: g0\n    hops:\n" + hops, components: components)
        let spec = try ExperimentSpec(yaml: long, file: "g.yaml")
        let graph = try #require(spec.variants.first?.graph)
        #expect(graph.startOrder.first == "app" && graph.startOrder.last == "g0")
        #expect(graph.requestOrder.count == count + 1)

        let closed = hops.replacingOccurrences(of: "-> app", with: "-> g0")
        let lines = Self.problems("    entry: g0\n    hops:\n" + closed, components: components)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("the hops form a cycle (g0 -> g1 -> g2") == true)
        #expect(lines.first.map { $0.count < 1_000 } == true, "the message holds the whole cycle")
    }

    // MARK: Rules

    @Test func unknownNamesAreReportedAtTheirHopWithASuggestion() {
        let lines = Self.problems("    entry: gateway\n    hops: [gateway -> apq]")
        #expect(lines == ["g.yaml:15: variants.v.hops[0]: component 'apq' is not defined; did you mean 'app'?"])
    }

    @Test func aCycleIsRefused() {
        let lines = Self.problems(
            """
                entry: gateway
                hops:
                  - gateway -> edge
                  - edge -> nginx
                  - nginx -> edge
            """)
        #expect(
            lines.contains(
                "g.yaml:17: variants.v.hops[1]: the hops form a cycle (edge -> nginx -> edge); a request must end at a "
                    + "component that sends nowhere"), "\(lines)")
    }

    @Test func aNodeTheEntryDoesNotReachIsRefused() {
        let lines = Self.problems("    entry: gateway\n    hops: [gateway -> app, nginx -> app]")
        #expect(
            lines == [
                "g.yaml:15: variants.v.hops[1]: 'nginx' is not reachable from the entry 'gateway'; add a hop to it or "
                    + "remove its hops"
            ])
    }

    @Test func aComponentHasOneRole() {
        let both = Self.problems(
            "    entry: gateway\n    hops: [gateway -> app, app -> redis]\n    sidecars: { app: gateway }")
        #expect(
            both.contains {
                $0.contains("variants.v.sidecars.app: 'gateway' is the sidecar of 'app' and also in the hops")
            })
        let twice = Self.problems(
            "    entry: edge\n    hops: [edge -> nginx, nginx -> app]\n    sidecars: { nginx: app-proxy, app: app-proxy }"
        )
        #expect(twice.contains { $0.contains("'app-proxy' is the sidecar of both 'nginx' and 'app'") }, "\(twice)")
        let own = Self.problems("    entry: app\n    sidecars: { app: app }")
        #expect(own.contains { $0.contains("'app' cannot be its own sidecar") }, "\(own)")
    }

    @Test func aGatewayWithNoHopOutIsRefused() {
        let lines = Self.problems("    entry: edge\n    hops: [edge -> app, app -> nginx]")
        #expect(
            lines.contains { $0.contains("variants.v.hops[1]: 'nginx' is a nginx gateway with no hop out") }, "\(lines)"
        )
    }

    @Test func aGatewayForwardsToOneComponent() {
        let lines = Self.problems("    entry: nginx\n    hops: [nginx -> app, nginx -> edge, edge -> app]")
        #expect(
            lines == [
                "g.yaml:15: variants.v.hops[1]: 'nginx' is a nginx gateway with 2 hops out (to 'app', 'edge'); a "
                    + "gateway forwards every request to one component, so keep one"
            ])
    }

    @Test func aSidecarMustForward() {
        let lines = Self.problems("    entry: app\n    sidecars: { app: redis }")
        #expect(
            lines.contains(
                "g.yaml:15: variants.v.sidecars.app: 'redis' (kind redis) cannot be a sidecar: it does not forward "
                    + "requests; use a gateway such as envoy"), "\(lines)")
    }

    @Test func transportsNeedAReceiverThatTerminatesAndASenderThatOriginates() {
        let intoApp = Self.problems("    entry: edge\n    hops: [edge -> app: tls]")
        #expect(
            intoApp == [
                "g.yaml:15: variants.v.hops[0]: hop 'edge -> app' uses tls, which 'app' (kind app) cannot terminate; "
                    + "put nginx, haproxy, traefik, envoy, caddy or sidecar in front of it, e.g. as its sidecar"
            ])
        let fromApp = Self.problems(
            "    entry: edge\n    hops: [edge -> app, app -> nginx: tls, nginx -> redis]")
        #expect(
            fromApp.contains(
                "g.yaml:15: variants.v.hops[1]: hop 'app -> nginx' uses tls, which 'app' (kind app) cannot open; "
                    + "give it a sidecar of kind sidecar, which opens it (sidecars: { app: app-proxy })"), "\(fromApp)")
        let mutualIntoApp = Self.problems("    entry: edge\n    hops: [other-proxy -> app: mtls, edge -> other-proxy]")
        #expect(
            mutualIntoApp == [
                "g.yaml:15: variants.v.hops[0]: hop 'other-proxy -> app' uses mtls, which 'app' (kind app) cannot "
                    + "terminate; put nginx, haproxy, traefik, envoy, caddy or sidecar in front of it, e.g. as its sidecar"
            ])
        let clientCertificate = Self.problems("    entry: { to: edge, transport: mtls }\n    hops: [edge -> app]")
        #expect(
            clientCertificate == [
                "g.yaml:14: variants.v.entry: the load engine presents no client certificate, so the entry cannot "
                    + "use mtls; use plain or tls, or give the client a sidecar: { to: edge, transport: mtls, sidecar: "
                    + "client-proxy }"
            ])
        // Through a sidecar, the sidecar terminates: mTLS into an app is fine with an Envoy beside it.
        #expect(Self.problems(Self.meshed).isEmpty)
    }

    @Test func hopsIntoOneListenerAgreeOnTheTransport() {
        let lines = Self.problems(
            "    entry: edge\n    hops: [edge -> nginx: tls, edge -> app, app -> nginx, nginx -> redis]")
        #expect(
            lines.contains { $0.contains("'nginx' would receive tls from 'edge' and plain from 'app'") }, "\(lines)")
        let plainIntoTLS = Self.problems("    entry: edge\n    hops: [edge -> gateway: plain, gateway -> app]")
        #expect(plainIntoTLS.contains { $0.contains("'gateway' has tls: true, so connections to it use TLS") })
    }

    @Test func aHopStartsAtASenderAndCarriesWhatItsReceiverSpeaks() {
        let fromDatabase = Self.problems("    entry: app\n    hops: [app -> postgres, postgres -> redis]")
        #expect(
            fromDatabase.contains { $0.contains("'postgres' (kind postgres) sends no requests") }, "\(fromDatabase)")
        let gatewayToDatabase = Self.problems("    entry: nginx\n    hops: [nginx -> postgres]")
        #expect(gatewayToDatabase.contains { $0.contains("a nginx gateway forwards HTTP, which 'postgres'") })
    }

    @Test func malformedHopsSayWhatToWrite() {
        let noArrow = Self.problems("    entry: app\n    hops: [app postgres]")
        #expect(noArrow.first?.contains("expected one hop like 'gateway -> app'") == true, "\(noArrow)")
        let transport = Self.problems("    entry: app\n    hops: [app -> postgres: mtl]")
        #expect(
            transport == [
                "g.yaml:15: variants.v.hops[0]: unknown transport 'mtl'; did you mean 'mtls'? expected one of plain, "
                    + "tls, mtls"
            ])
        let key = Self.problems("    entry: app\n    hop: [app -> postgres]")
        #expect(key.first?.contains("variants.v.hop: unknown key; did you mean 'hops'?") == true, "\(key)")
        let twice = Self.problems("    entry: app\n    hops: [app -> postgres, app -> postgres]")
        #expect(twice.first?.contains("hop 'app -> postgres' is listed twice") == true)
        let noEntry = Self.problems("    hops: [app -> postgres]")
        #expect(noEntry.first?.contains("variants.v.entry: required key is missing") == true, "\(noEntry)")
    }
}
