import ArgumentParser
import Foundation
import StackLabCore
import StackLabLocal
import StackLabSupplyChain

/// `stacklab image APP -o DIR`: a reference app as an OCI image built from local files, measured, and run with
/// podman where podman runs.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build a reference app's OCI image from scratch and measure it (docs/supply-chain.md).",
        discussion: """
            APP is go, rust, node, bun or swift. The image holds the app's executable and the shared libraries \
            ldd resolves for it (Node.js: the node interpreter, its libraries, and the app with its node_modules), \
            in one layer written by umoci as an OCI layout in DIR; no base image is downloaded. Prints the image's \
            size, layers and files, then runs it with podman on the loopback interface and prints the time from \
            the layout on disk to the first correct answer to GET /json (or why podman cannot run it here).
            """
    )

    @Argument(help: "go, rust, node, bun or swift.")
    var app: String

    @Option(name: .shortAndLong, help: "The OCI layout folder to write (replaced if it is one already).")
    var output: String

    @Flag(help: "Build and measure the image without running it.")
    var noRun = false

    @Option(help: "Runs with podman, each timed (the first copies the image into podman's store; it is removed after).")
    var runs = 2

    func run() throws {
        let runtime = try SBOMCommand.runtime(app)
        guard runs >= 1 else { throw UserError("--runs \(runs): at least 1") }
        let image = try Self.builder(runtime)
        let layout = URL(fileURLWithPath: output)
        let facts = try image.build(at: layout)
        print("image \(layout.path):\(OCIImageBuilder.tag)")
        print("  size      \(facts.imageBytes) bytes (manifest, config and compressed layers)")
        print("  unpacked  \(facts.unpackedBytes) bytes")
        print("  layers    \(facts.layers)")
        print("  files     \(facts.files)")
        guard !noRun else { return }
        let podman = PodmanRun(layout: layout) { port in
            ["--host", "127.0.0.1", "--port", String(port), "--threads", "1"]
        }
        if PodmanRun.needsPrivateCgroupView {
            print("  podman    runs in a private mount namespace without /sys/fs/cgroup/unified (crun refuses this")
            print("            machine's hybrid cgroup layout: a v2 hierarchy holding a controller beside v1)")
        }
        defer { podman.removeImage() }
        for index in 1...runs {
            switch podman.measure() {
            case .served(let seconds):
                print(
                    "  run \(index)     first correct GET /json \(String(format: "%.3f", seconds)) s after podman run")
            case .failed(let reason):
                print("  run \(index)     podman cannot run the image here: \(reason)")
                throw ExitStatus(code: 1)
            }
        }
    }

    /// The image of `runtime`'s built app.
    static func builder(_ runtime: AppRuntime) throws -> OCIImageBuilder {
        let artifact = try AppArtifact.locate(runtime, binDirectory: RunCommand.binDirectory())
        switch runtime {
        case .node:
            let app = artifact.paths[0]
            let files = ["server.js", "package.json", "node_modules"].map {
                OCIImageBuilder.Entry(source: app.appendingPathComponent($0), destination: "/app/\($0)")
            }
            return try OCIImageBuilder.executable(
                artifact.paths[1], at: artifact.paths[1].path, arguments: ["/app/server.js"], extra: files)
        default:
            let executable = artifact.paths[0]
            return try OCIImageBuilder.executable(executable, at: "/app/\(executable.lastPathComponent)")
        }
    }
}
