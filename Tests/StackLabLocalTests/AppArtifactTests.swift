import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// Artifact sizes and build errors, on made-up `apps` folders.
struct AppArtifactTests {
    @Test func anAppNotBuiltNamesTheCommandThatBuildsIt() throws {
        let apps = makeRunDirectory()
        let error = #expect(throws: UserError.self) {
            try AppArtifact.locate(.go, buildDirectory: apps.appendingPathComponent("go"), binDirectory: apps)
        }
        #expect(error?.message.contains("the go app is not built") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("scripts/install-runtimes.sh go && apps/go/build.sh") == true)
    }

    @Test func bytesCountEachFileOnceThroughLinks() throws {
        let apps = makeRunDirectory()
        let app = apps.appendingPathComponent("node/.build-out/app")
        let modules = apps.appendingPathComponent("modules")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: modules, withIntermediateDirectories: true)
        try Data(count: 1000).write(to: app.appendingPathComponent("server.js"))
        try Data(count: 300).write(to: modules.appendingPathComponent("pg.js"))
        try FileManager.default.createSymbolicLink(
            at: app.appendingPathComponent("node_modules"), withDestinationURL: modules)
        try FileManager.default.createSymbolicLink(
            at: app.appendingPathComponent("again"), withDestinationURL: app.appendingPathComponent("server.js"))
        #expect(AppArtifact(runtime: .node, paths: [app]).bytes() == 1300)
    }

    @Test func onlyAppsUnderAppsHaveABuildScript() async throws {
        let error = await #expect(throws: UserError.self) {
            try await AppBuild.run(.swift, clean: false, appsDirectory: makeRunDirectory())
        }
        #expect(error?.message.contains("swift build -c release --product stacklab-refapp") == true)
    }

    @Test func aFailingBuildReportsTheEndOfItsOutput() async throws {
        let apps = makeRunDirectory()
        let script = apps.appendingPathComponent("go/build.sh")
        try FileManager.default.createDirectory(
            at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "#!/bin/sh\necho 'main.go:3: undefined: x' >&2\nexit 2\n".write(
            to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let error = await #expect(throws: UserError.self) {
            try await AppBuild.run(
                .go, clean: true, appsDirectory: apps, buildDirectory: apps.appendingPathComponent("build/go"))
        }
        #expect(error?.message.contains("failed (exit 2)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("main.go:3: undefined: x") == true)
    }
}
