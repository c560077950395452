import Foundation
import StackLabCore

/// Runs a short-lived tool (`dpkg-query`, `go list`, `ldd`, `umoci`) to completion and captures what it prints.
enum ToolRun {
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `program arguments…`, found on PATH, in `directory`.
    ///
    /// - Throws: `UserError` when the program is not found (naming it) or cannot be started.
    static func capture(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: program))
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw UserError("cannot run \(program): \(error.localizedDescription)", exitCode: 1)
        }
        // Standard error is read on another thread so that neither pipe fills up and blocks the tool.
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs `program` and returns its standard output.
    ///
    /// - Throws: `UserError` with the tool's standard error when it fails.
    static func output(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> String {
        let outcome = try capture(program, arguments, environment: environment, directory: directory)
        guard outcome.status == 0 else {
            let reason = MessageText.oneLine(outcome.stderr.isEmpty ? outcome.stdout : outcome.stderr, limit: 400)
            throw UserError(
                "\(([program] + arguments).joined(separator: " ")) failed (exit \(outcome.status)): \(reason)",
                exitCode: 1)
        }
        return outcome.stdout
    }

    /// `program` itself when it holds a slash, else the first executable of that name on PATH or in the system
    /// directories.
    static func path(of program: String) throws -> String {
        if program.contains("/") { return program }
        let search = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in search + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = directory + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw UserError("'\(program)' was not found on PATH; install it (apt-get install \(program))", exitCode: 1)
    }
}
