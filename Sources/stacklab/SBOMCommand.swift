import ArgumentParser
import Foundation
import StackLabCore
import StackLabLocal
import StackLabReport
import StackLabSupplyChain

/// `stacklab sbom APP`: a reference app's CycloneDX bill of materials, from what its build resolved.
struct SBOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Write a reference app's CycloneDX 1.5 SBOM, from what its build resolved (docs/supply-chain.md).",
        discussion: """
            APP is go, rust, node, bun or swift. The components come from the Rust build's Cargo.lock, the Go \
            build's 'go list -deps' and the Debian packages it read, the Node.js app's package-lock.json or \
            node_modules, Bun's wheel, and the package's Package.resolved; licenses only where the source states \
            them. --summary prints each app's dependency count and licenses instead (every app when APP is left out).
            """
    )

    @Argument(help: "go, rust, node, bun or swift.")
    var app: String?

    @Option(name: .shortAndLong, help: "Write the JSON here instead of standard output.")
    var output: String?

    @Flag(help: "Print dependency counts and licenses instead of the document.")
    var summary = false

    @Flag(help: "Add the Debian packages an image of the app ships: its interpreter's and its shared libraries'.")
    var withRuntime = false

    @Option(help: "The checkout's apps folder (default: $STACKLAB_APPS_DIR, else ./apps).")
    var appsDir: String?

    static let runtimes: [AppRuntime] = [.go, .rust, .node, .bun, .swift]

    func run() throws {
        let runtime = try app.map(Self.runtime)
        if summary {
            print(Self.summaryTable(runtime.map { [$0] } ?? Self.runtimes, appsDirectory: appsDirectory))
            return
        }
        guard let runtime else { throw UserError("name an app (go, rust, node, bun, swift), or pass --summary") }
        let generator = try Self.generator(runtime, appsDirectory: appsDirectory)
        var extra: [ResolvedPackage] = []
        if withRuntime {
            let artifact = try AppArtifact.locate(runtime, binDirectory: RunCommand.binDirectory())
            extra = try generator.runtimePackages(executable: artifact.paths[runtime == .node ? 1 : 0])
        }
        let json = try generator.document(adding: extra).json()
        if let output {
            try OutputFile.write(json, to: output)
        } else {
            print(String(decoding: json, as: UTF8.self))
        }
    }

    var appsDirectory: URL {
        URL(
            fileURLWithPath: appsDir ?? ProcessInfo.processInfo.environment["STACKLAB_APPS_DIR"]
                ?? FileManager.default.currentDirectoryPath + "/apps")
    }

    static func runtime(_ name: String) throws -> AppRuntime {
        guard let runtime = AppRuntime(rawValue: name), runtimes.contains(runtime) else {
            throw UserError("unknown app \(MessageText.quoted(name)); one of go, rust, node, bun, swift")
        }
        return runtime
    }

    /// Where `runtime`'s app, toolchain and lockfile are.
    static func generator(_ runtime: AppRuntime, appsDirectory: URL) throws -> AppSBOM {
        let toolchain = RuntimeToolchain.find(runtime, binDirectory: RunCommand.binDirectory(), askVersion: false)
        // The built app is `<build>/stacklab-<runtime>`, or `<build>/app/server.js` for Node.js; where it is not
        // built, where its build.sh would write it (the error then names the missing file).
        var build = toolchain.app?.deletingLastPathComponent()
        if runtime == .node { build = build?.deletingLastPathComponent() }
        let root = ProcessInfo.processInfo.environment["STACKLAB_BUILD_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let fallback =
            root.map { URL(fileURLWithPath: $0) } ?? StackLabHome.directory().appendingPathComponent("apps")
        return AppSBOM(
            sources: AppSBOM.Sources(
                runtime: runtime, buildDirectory: build ?? fallback.appendingPathComponent(runtime.rawValue),
                appsDirectory: appsDirectory,
                packageDirectory: appsDirectory.deletingLastPathComponent(), toolchain: toolchain.executable))
    }

    /// One row per app: its dependency count and licenses, or why it has no SBOM here.
    static func summaryTable(_ runtimes: [AppRuntime], appsDirectory: URL) -> String {
        var table = TextTable(leftAligned: 3)
        table.add(["app", "dependencies", "licenses (as the sources state them)"])
        for runtime in runtimes {
            do {
                let document = try generator(runtime, appsDirectory: appsDirectory).document()
                let summary = SBOMSummary(app: runtime.rawValue, document: document)
                table.add([runtime.rawValue, String(summary.dependencies), summary.licenseText])
            } catch {
                table.add([runtime.rawValue, "-", "no SBOM: \(error)"])
            }
        }
        return table.render()
    }
}
