import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// Which reference apps are built on this machine, where `apps/<runtime>/build.sh` and `swift build` put them
/// (scripts/test.sh builds them all), and the checkout the CLI reads `apps/` and Package.resolved from.
enum BuiltApps {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func buildDirectory(_ runtime: AppRuntime) -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let root = environment["STACKLAB_BUILD_DIR"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent(runtime.rawValue)
        }
        return StackLabHome.directory().appendingPathComponent("apps/\(runtime.rawValue)")
    }

    /// True when `runtime`'s app is built (Swift: `stacklab-refapp` beside the test's `stacklab`).
    static func isBuilt(_ runtime: AppRuntime) -> Bool {
        let path: String
        switch runtime {
        case .swift:
            guard let stacklab = try? CommandRunner.executable() else { return false }
            path = stacklab.deletingLastPathComponent().appendingPathComponent("stacklab-refapp").path
        case .node: path = buildDirectory(runtime).appendingPathComponent("app/server.js").path
        default: path = buildDirectory(runtime).appendingPathComponent("stacklab-\(runtime.rawValue)").path
        }
        return FileManager.default.fileExists(atPath: path)
    }

    static func notBuilt(_ runtime: AppRuntime) -> Comment {
        "the \(runtime.rawValue) app is not built here (scripts/test.sh builds it: apps/\(runtime.rawValue)/build.sh)"
    }

    /// Runs `stacklab arguments…` in the checkout, as a user of it would.
    static func stacklab(_ arguments: [String], timeout: TimeInterval = 180) throws -> CommandRunner.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_APPS_DIR"] = checkout.appendingPathComponent("apps").path
        return try CommandRunner.run(arguments, timeout: timeout, environment: environment)
    }
}
