import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// What a run records of its apps before their trials, `stacklab install RUNTIME`'s build timings, and a runtime
/// that is not installed (.NET here), as a user sees them in the store, the report and `stacklab components`.
@Suite(.serialized)
struct AppFactsTests {
    static var hasDotnet: Bool { onPath("dotnet") }

    static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
        }
    }

    static var stacklabHome: URL {
        StackLabHome.directory()
    }

    /// Go as `stacklab install go` finds it: StackLab's venv (scripts/test.sh installs it), or PATH.
    static var hasGo: Bool {
        FileManager.default.isExecutableFile(atPath: stacklabHome.appendingPathComponent("venv/bin/go").path)
            || onPath("go")
    }

    func temporaryDirectory() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-apps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base
    }

    @Test(.enabled(if: !hasDotnet, "dotnet is on PATH here, so .NET is installed"))
    func aRunMeasuresTheSwiftAppAndReportsDotnetAsNotInstalled() async throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let spec = base.appendingPathComponent("spec.yaml")
        try """
        name: app-facts
        repeats: 1
        workload: { path: /json, rate: 100/s, connections: 2, duration: 1s, warmup: 0s }
        components:
          swift: { kind: app, runtime: swift }
          dotnet: { kind: app, runtime: dotnet }
        variants:
          dotnet: [dotnet]
          swift: [swift]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let store = base.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", base.appendingPathComponent("runs").path, "--store", store], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("variant dotnet: skipped"), "\(outcome.stderr)")

        let record = try await RunCommandTests.storedRun(store: store)
        // The other variant ran.
        #expect(record.status == .completed)
        #expect(record.trials.map(\.variant) == ["swift"])
        let apps = try #require(record.apps)
        #expect(apps.map(\.variant) == ["dotnet", "swift"])
        let dotnet = apps[0]
        #expect(dotnet.notInstalled?.contains("no dotnet SDK on PATH") == true)
        #expect(dotnet.coldStartSeconds == nil && dotnet.artifactBytes == nil)

        let swift = apps[1]
        #expect(swift.notInstalled == nil)
        let starts = try #require(swift.coldStartSeconds)
        #expect(starts.count == 5 && starts.allSatisfy { $0 > 0 }, "\(starts)")
        // The artifact is the reference app's one file, beside the stacklab that ran.
        let refapp = try CommandRunner.executable().resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("stacklab-refapp")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: refapp.path)[.size] as? Int64)
        #expect(swift.artifactBytes == size)
        #expect((swift.idleRSSBytes ?? 0) > 0)
        #expect(swift.cleanBuild == nil, "the Swift app's build is not timed by stacklab install")

        let text = try CommandRunner.run(["report", "latest", "--store", store])
        #expect(text.exitCode == 0, "\(text.stderr)")
        let runtimes = try #require(text.stdout.components(separatedBy: "runtimes: ").last)
        let swiftRow = try #require(runtimes.split(separator: "\n").first { $0.contains("swift ") })
        #expect(swiftRow.contains(" ms") && swiftRow.contains("not recorded"), "\(swiftRow)")
        let dotnetRow = try #require(runtimes.split(separator: "\n").first { $0.contains("dotnet ") })
        #expect(dotnetRow.contains("not installed") && dotnetRow.contains("no dotnet SDK on PATH"), "\(dotnetRow)")

        let json = try CommandRunner.run(["report", "latest", "--store", store, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(document["runtimes"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect((entries[1]["artifactBytes"] as? Int).map(Int64.init) == size)
        let cold = try #require(entries[1]["coldStartMicros"] as? [String: Any])
        #expect(((cold["median"] as? Double) ?? 0) > 0)
        #expect(entries[0]["notInstalled"] as? String == dotnet.notInstalled)

        let markdown = try CommandRunner.run(["report", "latest", "--store", store, "--format", "md"])
        #expect(markdown.stdout.contains("## Runtimes"))
        let csv = try CommandRunner.run(["report", "latest", "--store", store, "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").contains { $0.contains(",dotnet,") && $0.contains("no dotnet SDK") })
    }

    @Test(.enabled(if: !hasDotnet, "dotnet is on PATH here, so .NET is installed"))
    func componentsListsDotnetAsNotInstalledWithTheReason() throws {
        let outcome = try CommandRunner.run(["components"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let line = try #require(outcome.stdout.split(separator: "\n").first { $0.hasPrefix(".NET") })
        #expect(
            line.contains(
                "not installed: no dotnet SDK on PATH (Debian 12 has no package; install Microsoft's SDK and re-run)"),
            "\(line)")
        #expect(outcome.stdout.split(separator: "\n").contains { $0.hasPrefix("Swift") && $0.contains("installed (") })
    }

    @Test(.enabled(if: hasGo, "Go is not installed (scripts/install-runtimes.sh go; scripts/test.sh runs it)"))
    func installingGoTwiceBuildsOnceAndARunReportsTheBuildTimes() async throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        // A copy of apps/go, so the clean build does not remove the build other tests use.
        let apps = base.appendingPathComponent("apps")
        try FileManager.default.createDirectory(at: apps, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("apps/go")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name != ".build-out" {
            try FileManager.default.createDirectory(
                at: apps.appendingPathComponent("go"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: apps.appendingPathComponent("go/\(name)"))
        }
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_APPS_DIR"] = apps.path
        // The build goes outside the apps folder: here, a directory of this test's own.
        let builds = base.appendingPathComponent("builds")
        environment["STACKLAB_BUILD_DIR"] = builds.path
        let listing = { (FileManager.default.enumerator(atPath: apps.path)?.allObjects as? [String] ?? []).sorted() }
        let sources = listing()
        let store = base.appendingPathComponent("store.sqlite").path
        environment["STACKLAB_STORE"] = store

        let first = try CommandRunner.run(["install", "go"], timeout: 300, environment: environment)
        #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("Go: clean build "), "\(first.stdout)")
        #expect(first.stdout.contains("Go: incremental build "), "\(first.stdout)")
        #expect(FileManager.default.isExecutableFile(atPath: builds.appendingPathComponent("go/stacklab-go").path))
        // Nothing was written into the apps folder (a checkout that may be read-only).
        #expect(listing() == sources)

        let second = try CommandRunner.run(["install", "go"], timeout: 300, environment: environment)
        #expect(second.exitCode == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("Go: app built already"), "\(second.stdout)")
        // Nothing installed or built the second time.
        let output = second.stdout + second.stderr
        #expect(!output.contains("apt-get install") && !output.contains("pip install"), "\(output)")
        #expect(!output.contains("build.sh"), "\(output)")

        let recorded = try SQLiteResultsStore(path: store)
        let clean = try #require(try await recorded.latestAppBuild(.go, clean: true))
        let incremental = try #require(try await recorded.latestAppBuild(.go, clean: false))
        #expect(clean.seconds > 0 && incremental.seconds > 0)

        let spec = base.appendingPathComponent("spec.yaml")
        try """
        name: go-facts
        repeats: 1
        workload: { path: /json, rate: 100/s, connections: 2, duration: 1s, warmup: 0s }
        components:
          go: { kind: app, runtime: go }
        variants:
          go: [go]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(
            ["run", spec.path, "--runs-dir", base.appendingPathComponent("runs").path], timeout: 240,
            environment: environment)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let report = try CommandRunner.run(["report", "latest", "--format", "json"], environment: environment)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let entry = try #require((document["runtimes"] as? [[String: Any]])?.first)
        let reported = try #require(entry["cleanBuild"] as? [String: Any])
        // JSONSerialization may read the last digit of a double differently from how it was written.
        #expect(abs((reported["seconds"] as? Double ?? -1) - clean.seconds) < 1e-9)
        #expect(reported["builtAt"] as? String == clean.builtAt)
        #expect((entry["artifactBytes"] as? Int ?? 0) > 0)
    }
}
