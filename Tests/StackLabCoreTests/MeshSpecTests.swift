import Foundation
import Testing

@testable import StackLabCore

/// The mesh in a spec: `kind: sidecar` on both sides of a request (the client's and the app's), its settings, the
/// identities its policy names, and every mistake reported as one line with the file, the line and the key.
struct MeshSpecTests {
    static let components = """
        components:
          app: { kind: app, runtime: swift }
          app-proxy:
            kind: sidecar
            settings: { concurrency: 2, access_log: false, stats: true }
            policy:
              allow:
                - { from: client, paths: [/json, /api/*], methods: [GET, post] }
              rules: 100
          client-proxy: { kind: sidecar, settings: { upstream_protocol: http2 } }
          edge: { kind: nginx }
        """

    static let mesh = """
            entry: { to: app, transport: mtls, sidecar: client-proxy }
            sidecars: { app: app-proxy }
        """

    static func spec(_ variant: String = mesh, components: String = components) throws -> ExperimentSpec {
        try ExperimentSpec(yaml: StackGraphTests.yaml(variant, components: components), file: "m.yaml")
    }

    static func problems(_ variant: String = mesh, components: String = components) -> [String] {
        StackGraphTests.problems(variant, components: components).map {
            $0.replacingOccurrences(of: "g.yaml:", with: "m.yaml:")
        }
    }

    @Test func theMeshPathRunsFromTheClientsSidecarOverMutualTLSToTheAppsSidecar() throws {
        let spec = try Self.spec()
        let variant = try #require(spec.variants.first)
        let graph = try #require(variant.graph)
        #expect(graph.entry == .init(component: "app", transport: .mutualTLS, sidecar: "client-proxy"))
        // The client dials its sidecar plain; the sidecar opens mutual TLS to the app's sidecar, which forwards plain.
        #expect(graph.entryListener == "client-proxy")
        #expect(graph.inboundTransport(of: "client-proxy") == .plain)
        #expect(
            graph.upstreams(of: "client-proxy") == [.init(from: "client-proxy", to: "app-proxy", transport: .mutualTLS)]
        )
        #expect(graph.inboundTransport(of: "app-proxy") == .mutualTLS)
        #expect(graph.upstreams(of: "app-proxy") == [.init(from: "app-proxy", to: "app", transport: .plain)])
        #expect(variant.stack == ["client-proxy", "app-proxy", "app"])
        #expect(graph.startOrder == ["app", "app-proxy", "client-proxy"])
        // Identities: a sidecar goes by its component's, the client's sidecar by client.
        #expect(graph.identity(of: "app-proxy") == "app" && graph.identity(of: "client-proxy") == "client")
        #expect(graph.mutualTLSPeers(of: "app-proxy") == ["client"])
        #expect(MeshIdentity.spiffeID("app") == "spiffe://stacklab.local/ns/default/sa/app")
        // The policy and the settings as written.
        let proxy = try #require(spec.components.first { $0.name == "app-proxy" })
        #expect(
            proxy.policy
                == SidecarPolicy(
                    allow: [.init(from: ["client"], paths: ["/json", "/api/*"], methods: ["GET", "POST"])], rules: 100))
        #expect(proxy.policy?.generatedRules == 99)
        let client = try #require(spec.components.first { $0.name == "client-proxy" })
        #expect(SidecarSettings.read(client.settings).settings.upstreamProtocol == .http2)
        #expect(SidecarSettings.read(client.settings).settings.concurrency == 2)
    }

    static let outboundComponents = """
        components:
          app: { kind: app, runtime: swift }
          db: { kind: postgres }
          app-proxy: { kind: sidecar }
          db-proxy: { kind: sidecar, policy: { allow: [{ from: app }] } }
          envoy-proxy: { kind: envoy }
        """

    /// Istio's outbound listener: the app's sidecar carries the app's hop to the database's sidecar over mutual TLS.
    @Test func anAppsSidecarCarriesItsHopsToTheDatabasesSidecar() throws {
        let spec = try Self.spec(
            "    entry: app\n    hops: [app -> db: mtls]\n    sidecars: { app: app-proxy, db: db-proxy }",
            components: Self.outboundComponents)
        let graph = try #require(spec.variants.first?.graph)
        #expect(graph.outboundSidecar(of: "app") == "app-proxy" && graph.outboundSidecar(of: "db") == nil)
        #expect(graph.upstreams(of: "app") == [.init(from: "app", to: "app-proxy", transport: .plain)])
        #expect(
            graph.upstreams(of: "app-proxy") == [
                .init(from: "app-proxy", to: "app"), .init(from: "app-proxy", to: "db-proxy", transport: .mutualTLS),
            ])
        #expect(graph.upstreams(of: "db-proxy") == [.init(from: "db-proxy", to: "db")])
        #expect(graph.inboundTransport(of: "db-proxy") == .mutualTLS && graph.mutualTLSPeers(of: "db-proxy") == ["app"])
        // The app's sidecar listens before the app, which connects through it as it starts.
        #expect(graph.startOrder == ["db", "db-proxy", "app-proxy", "app"])
        #expect(spec.variants.first?.stack == ["app-proxy", "app", "db-proxy", "db"])
    }

    @Test func anOutboundHopNeedsASidecarThatOpensItAndOneThatCarriesTCP() {
        let envoySidecar = Self.problems(
            "    entry: app\n    hops: [app -> db: mtls]\n    sidecars: { app: envoy-proxy, db: db-proxy }",
            components: Self.outboundComponents)
        #expect(
            envoySidecar.contains {
                $0.hasSuffix(
                    "variants.v.hops[0]: hop 'app -> db' uses mtls, which 'app' (kind app) cannot open; give it a "
                        + "sidecar of kind sidecar, which opens it (sidecars: { app: app-proxy })")
            }, "\(envoySidecar)")
        let gatewayOnDatabase = Self.problems(
            "    entry: app\n    hops: [app -> db]\n    sidecars: { db: envoy-proxy }",
            components: Self.outboundComponents)
        #expect(
            gatewayOnDatabase.contains {
                $0.hasSuffix(
                    "variants.v.sidecars.db: 'db' (kind postgres) does not speak HTTP, which a gateway forwards; use "
                        + "kind sidecar, which carries it as TCP")
            }, "\(gatewayOnDatabase)")
        let pathPolicy = Self.problems(
            "    entry: app\n    hops: [app -> db: mtls]\n    sidecars: { app: app-proxy, db: db-proxy }",
            components: Self.outboundComponents.replacingOccurrences(
                of: "allow: [{ from: app }]", with: "allow: [{ from: app, paths: [/x] }]"))
        #expect(
            pathPolicy.contains {
                $0.hasSuffix(
                    "variants.v.sidecars.db: 'db-proxy' carries 'db' (kind postgres) as TCP, so its policy can allow by "
                        + "identity (from) only: drop its paths and methods")
            }, "\(pathPolicy)")
    }

    @Test func aSidecarOnAComponentThatDoesNotExistIsOneLine() {
        #expect(
            Self.problems("    entry: app\n    sidecars: { ap: app-proxy }") == [
                "m.yaml:17: variants.v.sidecars.ap: component 'ap' is not defined; did you mean 'app'?"
            ])
        #expect(
            Self.problems(
                "    entry: { to: app, transport: mtls, sidecar: client-prox }\n    sidecars: { app: app-proxy }")
                == [
                    "m.yaml:16: variants.v.entry.sidecar: component 'client-prox' is not defined; did you mean "
                        + "'client-proxy'?"
                ])
    }

    @Test func mutualTLSNeedsASidecarAtAnEndThatCannotDoItItself() {
        // Into the app without its sidecar: the app cannot terminate mutual TLS.
        #expect(
            Self.problems("    entry: edge\n    hops: [edge -> app: mtls]") == [
                "m.yaml:17: variants.v.hops[0]: hop 'edge -> app' uses mtls, which 'app' (kind app) cannot terminate; "
                    + "put nginx, haproxy, traefik, envoy, caddy or sidecar in front of it, e.g. as its sidecar"
            ])
        // From the client without its sidecar: the load engine has no certificate to present.
        #expect(
            Self.problems("    entry: { to: app, transport: mtls }\n    sidecars: { app: app-proxy }") == [
                "m.yaml:16: variants.v.entry: the load engine presents no client certificate, so the entry cannot use "
                    + "mtls; use plain or tls, or give the client a sidecar: { to: app, transport: mtls, sidecar: "
                    + "client-proxy }"
            ])
        // The client's sidecar must forward, and have no other role.
        #expect(
            Self.problems(
                "    entry: { to: app, transport: mtls, sidecar: app-proxy }\n    sidecars: { app: app-proxy }"
            )
            .contains { $0.contains("variants.v.entry.sidecar: 'app-proxy' is the client's sidecar and also") })
        let notForwarding = Self.problems(
            "    entry: { to: edge, sidecar: app }\n    hops: [edge -> app]")
        #expect(
            notForwarding.contains { $0.contains("'app' (kind app) cannot be the client's sidecar") },
            "\(notForwarding)")
    }

    @Test func aPolicyNamingAnUnknownIdentityIsOneLine() {
        let components = Self.components.replacingOccurrences(of: "from: client,", with: "from: [client, ap],")
        #expect(
            Self.problems(components: components) == [
                "m.yaml:10: components.app-proxy.policy.allow[0].from[1]: unknown identity 'ap'; did you mean 'app'?"
            ])
    }

    @Test func badSettingsAndPoliciesAreOneLineEach() {
        let components = """
            components:
              app: { kind: app, runtime: swift }
              app-proxy:
                kind: sidecar
                settings: { concurrency: 0, stats: maybe, upstream_protocol: http3, acess_log: true }
                policy: { allow: [{ paths: [json], methods: [FETCH] }], rules: 0 }
              edge: { kind: nginx, policy: { allow: [{ from: app }] } }
            """
        #expect(
            Self.problems("    entry: app\n    sidecars: { app: app-proxy }", components: components) == [
                "m.yaml:7: components.app-proxy.settings.acess_log: unknown setting for kind sidecar; did you mean "
                    + "'access_log'?",
                "m.yaml:7: components.app-proxy.settings.concurrency: expected worker threads from 1 to 256, found '0'",
                "m.yaml:7: components.app-proxy.settings.stats: expected true or false, found 'maybe'",
                "m.yaml:7: components.app-proxy.settings.upstream_protocol: expected http1 or http2, found 'http3'",
                "m.yaml:8: components.app-proxy.policy.allow[0].paths[0]: expected a path like /json (exact) or /api/* "
                    + "(a prefix), found 'json'",
                "m.yaml:8: components.app-proxy.policy.allow[0].methods[0]: unknown method 'FETCH'; expected one of "
                    + "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE",
                "m.yaml:8: components.app-proxy.policy.rules: must be at least 1, found 0",
                "m.yaml:9: components.edge.policy: only a component of kind sidecar or node-proxy has a policy "
                    + "(Envoy's RBAC filter in front of what it carries)",
            ])
    }
}
