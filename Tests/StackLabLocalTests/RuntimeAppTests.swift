import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The reference apps of every installed runtime, for real: built by their `build.sh`, started by their
/// recipe against the PostgreSQL that scripts/test.sh starts, verified rule by rule, measured, stopped.
///
/// scripts/test.sh installs the runtimes (scripts/install-runtimes.sh) and builds the apps first, so
/// nothing here is skipped there.
@Suite(.serialized)
struct RuntimeAppTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let apps = root.appendingPathComponent("apps")
    static let binDirectory = root.appendingPathComponent(".build/debug")
    static let postgresURL = ProcessInfo.processInfo.environment["STACKLAB_TEST_POSTGRES_URL"]
    static let noPostgres: Comment =
        "STACKLAB_TEST_POSTGRES_URL is unset; scripts/test.sh starts a PostgreSQL and sets it"

    /// Whether the toolchain that `apps/<runtime>/build.sh` uses is on this machine.
    static func isInstalled(_ runtime: AppRuntime) -> Bool {
        let venv = StackLabHome.virtualEnvironment().path + "/bin/"
        let files = FileManager.default
        switch runtime {
        case .go:
            return (files.isExecutableFile(atPath: venv + "go") || ExecutableLookup.find("go") != nil)
                && files.fileExists(atPath: "/usr/share/gocode/src/github.com/jackc/pgx/v4/pgxpool")
        case .rust:
            let cargo = ExecutableLookup.find("cargo") ?? (NSHomeDirectory() + "/.cargo/bin/cargo")
            let crates = (try? files.contentsOfDirectory(atPath: "/usr/share/cargo/registry")) ?? []
            return files.isExecutableFile(atPath: cargo) && crates.contains { $0.hasPrefix("tokio-postgres-") }
        case .node:
            return ExecutableLookup.find("node") != nil
                && files.fileExists(atPath: StackLabHome.directory().path + "/node/node_modules/pg")
        case .bun:
            return files.isExecutableFile(atPath: venv + "bun") || ExecutableLookup.find("bun") != nil
        case .swift:
            return files.isExecutableFile(atPath: binDirectory.appendingPathComponent("stacklab-refapp").path)
        case .dotnet:
            return false
        }
    }

    static func notInstalled(_ runtime: AppRuntime) -> Comment {
        Comment(
            rawValue: runtime == .swift
                ? "stacklab-refapp is not built in .build/debug; run 'swift build --build-tests'"
                : "the \(runtime.rawValue) toolchain is not installed; run 'scripts/install-runtimes.sh \(runtime.rawValue)'"
        )
    }

    @Test(.enabled(if: isInstalled(.go), notInstalled(.go)), .enabled(if: postgresURL != nil, noPostgres))
    func goApp() async throws { try await check(.go) }

    @Test(.enabled(if: isInstalled(.rust), notInstalled(.rust)), .enabled(if: postgresURL != nil, noPostgres))
    func rustApp() async throws { try await check(.rust) }

    @Test(.enabled(if: isInstalled(.node), notInstalled(.node)), .enabled(if: postgresURL != nil, noPostgres))
    func nodeApp() async throws { try await check(.node) }

    @Test(.enabled(if: isInstalled(.bun), notInstalled(.bun)), .enabled(if: postgresURL != nil, noPostgres))
    func bunApp() async throws { try await check(.bun) }

    @Test(.enabled(if: isInstalled(.swift), notInstalled(.swift)), .enabled(if: postgresURL != nil, noPostgres))
    func swiftApp() async throws { try await check(.swift) }

    func check(_ runtime: AppRuntime) async throws {
        // Built by its build.sh from an empty .build-out; Rust's only incrementally (a clean build recompiles
        // every crate, minutes), after scripts/test.sh built it once.
        var build: AppBuild.Timing?
        if runtime != .swift {
            build = try await AppBuild.run(runtime, clean: runtime != .rust, appsDirectory: Self.apps)
        }
        let artifact = try AppArtifact.locate(runtime, binDirectory: Self.binDirectory)
        let bytes = artifact.bytes()
        #expect(bytes > 100_000, "\(artifact.paths)")

        let directory = makeRunDirectory("\(runtime.rawValue)App")
        let withDatabase = Component(
            name: "app-\(runtime.rawValue)", kind: .app, runtime: runtime,
            settings: ["apps_dir": Self.apps.path, "database_url": Self.postgresURL!],
            resources: Resources(both: .init(cpu: 1)))
        var withoutDatabase = withDatabase
        withoutDatabase.settings["database_url"] = nil
        withoutDatabase.name += "-nodb"

        let coldStart = try await withSupervisor(runDirectory: directory) { supervisor in
            // With PostgreSQL: every rule, /updates included.
            try await verifyAndStop(withDatabase, supervisor: supervisor)
            // Without a database the apps under apps/ answer 503; the Swift app uses a SQLite file instead.
            try await verifyAndStop(withoutDatabase, supervisor: supervisor)
            return try await ColdStart.measure(
                withoutDatabase, starts: 3, binDirectory: Self.binDirectory, supervisor: supervisor)
        }
        #expect(coldStart.median > .zero && coldStart.median < .seconds(10), "\(coldStart)")
        print(
            "\(runtime.rawValue): cold start median \(Self.milliseconds(coldStart.median)) "
                + "(\(coldStart.samples.map(Self.milliseconds).joined(separator: ", "))), artifact \(bytes) bytes"
                + (build.map { ", \($0.clean ? "clean" : "incremental") build \(Self.milliseconds($0.duration))" } ?? "")
        )
    }

    func verifyAndStop(_ component: Component, supervisor: ProcessSupervisor) async throws {
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component, port: port, upstreamPort: nil, binDirectory: Self.binDirectory,
            runDirectory: supervisor.runDirectory, cpus: nil)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        let outcomes = try await AppVerifier(port: port, database: AppVerifier.database(for: component)).run()
        #expect(outcomes.filter { !$0.passed }.isEmpty, "\(component.name): \(outcomes.filter { !$0.passed })")
        #expect(outcomes.count >= 12)
        // Every endpoint of the API was asked and answered.
        let paths =
            ["/plaintext", "/json", "/health", "/no-such-path", "/bytes/1024", "/bytes/0", "/bytes/1k", "/db"]
            + (AppVerifier.database(for: component) == .present
                ? ["/queries?queries=20", "/updates?queries=1000"] : ["/queries?queries=2", "/updates?queries=2"])
        for path in paths {
            #expect(outcomes.contains { $0.rule.hasPrefix("GET \(path)") && $0.passed }, "\(path)")
        }

        let family = [child.pid] + ProcessTree.descendants(of: child.pid)
        let status = await supervisor.stop(child, grace: .seconds(15))
        // SIGTERM is a clean shutdown for every app: exit 0, nothing left behind.
        #expect(status == .exited(0), "\(component.name) \(status)\n\(child.logTail())")
        #expect(family.filter(ProcessTree.isRunning).isEmpty)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f ms", value)
    }
}
