import Foundation
import StackLabCore

/// Runs a short-lived tool (`openssl`, `dpkg-query`, `apt-get`, `pip`) to completion, outside any supervisor:
/// these end on their own and start no servers.
enum HelperCommand {
    struct Outcome: Sendable {
        var status: Int32
        /// Standard output and standard error together, as the tool wrote them.
        var output: String
    }

    /// Runs `program arguments…` and captures what it prints.
    ///
    /// - Throws: `UserError` when the program is not found or cannot be started.
    static func capture(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> Outcome {
        let process = try makeProcess(program, arguments, environment: environment, directory: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw UserError("cannot run \(program): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs `program arguments…` with this process's standard output and error, so the user sees its progress.
    ///
    /// - Returns: its exit status.
    static func visible(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws
        -> Int32
    {
        let process = try makeProcess(program, arguments, environment: environment, directory: nil)
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw UserError("cannot run \(program): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private static func makeProcess(
        _ program: String, _ arguments: [String], environment: [String: String]?, directory: URL?
    ) throws -> Process {
        let searchPath = environment?["PATH"] ?? ProcessInfo.processInfo.environment["PATH"]
        guard let executable = ExecutableLookup.find(program, searchPath: searchPath, includeSystemDirectories: true)
        else {
            throw UserError("'\(program)' was not found on PATH; install it (it is needed to go on)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        return process
    }
}
