import Foundation
import StackLabCore

/// Builds a reference app with its `apps/<runtime>/build.sh` and times it: the "build time" of a runtime
/// comparison, clean (from an empty build directory) or incremental (again, with nothing changed).
public enum AppBuild {
    /// How one build went.
    public struct Timing: Sendable, Equatable {
        public var runtime: AppRuntime
        public var clean: Bool
        /// Wall-clock time of `build.sh`, on the monotonic clock.
        public var duration: Duration
        /// What `build.sh` printed on stdout and stderr.
        public var log: String
    }

    /// Runs `apps/<runtime>/build.sh` with `STACKLAB_APP_OUT` set to the build directory (outside the checkout:
    /// ``AppRecipe/buildDirectory(of:for:environment:)``), after removing that directory when `clean`.
    ///
    /// A clean build of Rust recompiles every crate (minutes); Go's own build cache (`~/.cache/go-build`)
    /// is kept, so a "clean" Go build is clean of StackLab's output only, as a CI runner with a warm cache
    /// sees it.
    ///
    /// - Parameters:
    ///   - appsDirectory: the `apps` folder, read only; `$STACKLAB_APPS_DIR`, else `./apps`, when nil.
    ///   - buildDirectory: where the build goes; ``AppRecipe/buildDirectory(of:for:environment:)`` when nil.
    /// - Throws: `UserError` for a runtime without `build.sh` (Swift: `swift build -c release`), or when the
    ///   build fails, with the end of its output.
    public static func run(
        _ runtime: AppRuntime, clean: Bool, appsDirectory: URL? = nil, buildDirectory: URL? = nil
    ) async throws -> Timing {
        let folder = (appsDirectory ?? AppRecipe.appsDirectory(for: nil)).appendingPathComponent(runtime.rawValue)
        let script = folder.appendingPathComponent("build.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw UserError(
                "no \(script.path); apps under apps/ are go, rust, node and bun "
                    + "(the Swift app builds with 'swift build -c release --product stacklab-refapp')")
        }
        let out = buildDirectory ?? AppRecipe.buildDirectory(of: runtime)
        if clean {
            if FileManager.default.fileExists(atPath: out.path) {
                try FileManager.default.removeItem(at: out)
            }
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-build-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw UserError("cannot create \(log.path) for the build's output")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = script
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_APP_OUT"] = out.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        let clock = ContinuousClock()
        let started = clock.now
        let status = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: UserError("cannot run \(script.path): \(error.localizedDescription)"))
            }
        }
        let duration = clock.now - started
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let tail = output.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(
                separator: "\n")
            throw UserError("\(script.path) failed (exit \(status)):\n\(tail)")
        }
        return Timing(runtime: runtime, clean: clean, duration: duration, log: output)
    }
}
