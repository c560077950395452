import Foundation

/// Runs the built `stacklab` executable as a user would, capturing its output and exit code.
public struct CommandRunner {
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `stacklab` binary beside the test bundle, built by `swift build --build-tests`.
    public static func executable(file: String = #filePath) throws -> URL {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("stacklab"))
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("stacklab"))
        let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/stacklab"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingExecutable(searched: candidates.map(\.path))
        }
        return found
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "stacklab not built; run 'swift build --build-tests' (searched \(searched))" }
    }

    /// Runs `stacklab arguments…` to completion, at most `timeout` seconds.
    ///
    /// - Parameter environment: the child's whole environment; this process's own when nil. Unless it names
    ///   one, `STACKLAB_STORE` points at a store of this test process in the temporary directory.
    public static func run(
        _ arguments: [String], timeout: TimeInterval = 120, environment: [String: String]? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        // Tests never write into the user's own results store: without a store of their own, one per test process.
        var childEnvironment = environment ?? ProcessInfo.processInfo.environment
        if childEnvironment["STACKLAB_STORE"] == nil {
            childEnvironment["STACKLAB_STORE"] =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("stacklab-test-store-\(ProcessInfo.processInfo.processIdentifier).sqlite").path
        }
        process.environment = childEnvironment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs so that neither fills up and blocks it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        group.wait()
        return Outcome(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
