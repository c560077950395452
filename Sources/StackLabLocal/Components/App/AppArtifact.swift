import Foundation
import StackLabCore

/// What a reference app deploys as, and its size on disk: the figure a runtime comparison shows as
/// "artifact size".
///
/// - Go, Rust, Bun: the one executable `apps/<runtime>/build.sh` writes (Bun's holds the Bun runtime).
/// - Node.js: the app folder `app` in its build directory with the node-pg modules its `node_modules` link
///   points to, plus the `node` executable that runs it.
/// - .NET: the folder `apps/dotnet/build.sh` publishes (framework-dependent) plus the SDK's `shared` frameworks.
/// - Swift: `stacklab-refapp` in the bin directory (it links the Swift runtime's shared libraries, which
///   are not counted, as the C library is not counted for the others).
public struct AppArtifact: Sendable, Equatable {
    public var runtime: AppRuntime
    /// The files and folders counted, symbolic links resolved.
    public var paths: [URL]

    /// Where `runtime`'s app was built.
    ///
    /// - Parameters:
    ///   - buildDirectory: where its `build.sh` wrote it; ``AppRecipe/buildDirectory(of:for:environment:)``
    ///     when nil.
    ///   - binDirectory: where `stacklab-refapp` is, for Swift.
    /// - Throws: `UserError` when it is not built, naming the command that builds it.
    public static func locate(
        _ runtime: AppRuntime, buildDirectory: URL? = nil, binDirectory: URL
    ) throws
        -> AppArtifact
    {
        let apps = buildDirectory ?? AppRecipe.buildDirectory(of: runtime)
        var paths: [URL]
        switch runtime {
        case .swift:
            paths = [binDirectory.appendingPathComponent("stacklab-refapp")]
        case .node:
            guard let server = AppRecipe.output(of: runtime, buildDirectory: apps) else { preconditionFailure() }
            guard let node = ExecutableLookup.find("node") else {
                throw UserError("node is not on PATH; install Node.js 18 or later")
            }
            paths = [server.deletingLastPathComponent(), URL(fileURLWithPath: node)]
        case .dotnet:
            guard let output = AppRecipe.output(of: runtime, buildDirectory: apps) else { preconditionFailure() }
            guard let dotnet = ExecutableLookup.find("dotnet") else {
                throw UserError("the .NET app cannot be sized: \(RuntimeToolchain.noDotnet)")
            }
            // Framework-dependent: the published folder and the shared frameworks it runs on.
            let root = URL(fileURLWithPath: dotnet).resolvingSymlinksInPath().deletingLastPathComponent()
            paths = [output.deletingLastPathComponent(), root.appendingPathComponent("shared")]
        case .go, .rust, .bun:
            guard let output = AppRecipe.output(of: runtime, buildDirectory: apps) else {
                throw UserError("runtime \(runtime.rawValue) has no app under apps/ and no local build")
            }
            paths = [output]
        }
        paths = paths.map { $0.resolvingSymlinksInPath() }
        for path in paths where !FileManager.default.fileExists(atPath: path.path) {
            let build =
                switch runtime {
                case .swift: "swift build -c release --product stacklab-refapp"
                case .dotnet: "apps/dotnet/build.sh"
                default: "scripts/install-runtimes.sh \(runtime.rawValue) && apps/\(runtime.rawValue)/build.sh"
                }
            throw UserError(
                "the \(runtime.rawValue) app is not built: \(path.path) is missing; build it with '\(build)'")
        }
        return AppArtifact(runtime: runtime, paths: paths)
    }

    /// Where `component`'s app was built: its runtime's, in the component's `build_dir` when it sets one.
    ///
    /// - Throws: `UserError` when it is not built, naming the command that builds it.
    public static func locate(_ component: Component, binDirectory: URL) throws -> AppArtifact {
        let runtime = component.runtime ?? .swift
        return try locate(
            runtime, buildDirectory: AppRecipe.buildDirectory(of: runtime, for: component),
            binDirectory: binDirectory)
    }

    /// The bytes of every regular file under `paths` (apparent sizes), each file counted once however many
    /// links reach it.
    public func bytes() -> Int64 {
        var seen = Set<[UInt64]>()
        var total: Int64 = 0
        func add(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            guard seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                for entry in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                    add(path + "/" + entry)
                }
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                total += Int64(info.st_size)
            }
        }
        for path in paths { add(path.path) }
        return total
    }
}
