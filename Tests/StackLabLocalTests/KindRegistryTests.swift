import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// The registry of kinds and the endpoints their plans offer: what the rest of StackLab reads instead of
/// lists of its own.
struct KindRegistryTests {
    @Test func eachKindIsRegisteredOnceWithItsOwnSources() {
        let kinds = LocalComponents.all.map(\.kind)
        #expect(Set(kinds).count == kinds.count)
        for registered in LocalComponents.all {
            #expect(!registered.sources.isEmpty && registered.sources.allSatisfy { $0.kind == registered.kind })
            #expect(registered.example.kind == registered.kind)
            // What the spec check reads from Core agrees with how the kind runs here.
            #expect(registered.kind.isGateway == (ComponentRecipe.renderer(for: registered.kind) != nil))
        }
        let names = ComponentSource.catalog.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func whatRunsLocallyIsReadFromTheRegistry() {
        #expect(
            LocalComponents.description
                == "the reference apps, the gateways (nginx, haproxy, traefik, envoy, caddy, sidecar), postgres, mariadb, "
                + "redis, nats, rabbitmq, mosquitto, node-proxy, prometheus, victoria-metrics and node-exporter"
        )
        // Every kind Core knows now runs locally; a kind added to Core without a folder is refused by name.
        #expect(ComponentKind.allCases.filter { LocalComponents.kind($0) == nil } == [])
        let error = LocalComponents.noRecipe(Component(name: "metrics", kind: .prometheus))
        #expect(
            error.message.hasPrefix("component 'metrics': kind prometheus has no local recipe yet; the reference apps"))
    }

    @Test func backupMethodsComeFromTheKinds() throws {
        for registered in LocalComponents.all {
            let component = Component(name: "c", kind: registered.kind, settings: ["backup": "true"])
            #expect(try BackupSetting.methods(of: component) == registered.backupMethods)
        }
        #expect(LocalComponents.all.filter { !$0.backupMethods.isEmpty }.map(\.kind) == [.postgres, .mariadb, .redis])
    }

    @Test func endpointsCarryTheCredentialsTheRecipeMade() throws {
        #expect(
            PostgresRecipe.endpoint(port: 5432, password: "p+w/1").url()
                == "postgres://postgres:p%2Bw%2F1@127.0.0.1:5432/postgres")
        #expect(
            PostgresRecipe.endpoint(port: 5432, password: nil).url() == "postgres://postgres@127.0.0.1:5432/postgres")
        let redis = try ComponentRecipe.plan(
            Component(name: "cache", kind: .redis, settings: ["password": "s3cret"]),
            in: LocalPlanContext(
                port: 6390, binDirectory: URL(fileURLWithPath: "/nonexistent"), runDirectory: makeRunDirectory()))
        #expect(redis.endpoint == ComponentEndpoint(port: 6390, wireProtocol: .redis, password: "s3cret"))
        #expect(redis.endpoint.url() == "redis://:s3cret@127.0.0.1:6390")
        #expect(
            ComponentEndpoint(port: 3306, wireProtocol: .mysql, user: "stacklab", password: "x", database: "stacklab")
                .url() == "mysql://stacklab:x@127.0.0.1:3306/stacklab")
        #expect(
            ComponentEndpoint(port: 8443, wireProtocol: .http, tls: true).url(path: "/json")
                == "https://127.0.0.1:8443/json")
    }

    /// An app in front of a database is planned with that database's endpoint: the runner builds no URL.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(
                atPath: KindConformanceTests.binDirectory.appendingPathComponent("stacklab-refapp").path),
            "stacklab-refapp is not built in .build/debug; run 'swift build --build-tests'"))
    func anAppGetsItsDatabasesEndpoint() throws {
        let database = PostgresRecipe.endpoint(port: 5499, password: "pw")
        let app = Component(name: "app", kind: .app, runtime: .swift)
        let directory = makeRunDirectory()
        let plan = try ComponentRecipe.plan(
            app,
            in: LocalPlanContext(
                port: 8099, upstream: database, binDirectory: KindConformanceTests.binDirectory, runDirectory: directory
            ))
        #expect(plan.command.environment["DATABASE_URL"] == "postgres://postgres:pw@127.0.0.1:5499/postgres")
        #expect(plan.component.settings["database_url"] == database.url())
        #expect(plan.endpoint == ComponentEndpoint(port: 8099, wireProtocol: .http))
        // Without one, its own SQLite file.
        let alone = try ComponentRecipe.plan(
            app,
            in: LocalPlanContext(port: 8099, binDirectory: KindConformanceTests.binDirectory, runDirectory: directory))
        #expect(alone.component.settings["database_url"] == nil)
        #expect(alone.command.arguments.contains("--db-path"))
    }
}

/// The log and tracing backends with no Debian package are listed as Kubernetes only, with the reason.
struct ObservabilityListingTests {
    @Test func logAndTracingBackendsAreKubernetesOnly() {
        let names = KubernetesOnlyComponent.all.map(\.name)
        for name in ["loki", "elasticsearch", "tempo", "jaeger"] { #expect(names.contains(name), "\(name)") }
        #expect(KubernetesOnlyComponent.all.first { $0.name == "loki" }?.reason.contains("another program") == true)
        #expect(LocalComponents.all.map(\.kind).filter { names.contains($0.rawValue) }.isEmpty)
    }
}
