import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real nats-server for tests, in its own temporary directory, optionally with JetStream (its store there), a
/// user and password, and a small `max_pending` (so that a slow consumer is cut off soon).
///
/// Tests that need it check ``NATSServer/isInstalled`` first; `scripts/test.sh` installs nats-server.
public final class NATSServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let process: Process

    public static var isInstalled: Bool { NginxServer.findExecutable("nats-server") != nil }

    /// The reason shown when a test is skipped.
    public static let missing = "nats-server is not installed (apt-get install nats-server)"

    /// Starts nats-server on a free loopback port.
    public init(user: String? = nil, password: String? = nil, maxPending: Int? = nil, jetstream: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-nats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.next()
        var lines = ["listen: \"127.0.0.1:\(port)\""]
        if let maxPending { lines += ["max_pending: \(maxPending)", "max_payload: \(min(maxPending, 1_048_576))"] }
        if jetstream { lines.append("jetstream { store_dir: \"\(directory.appendingPathComponent("js").path)\" }") }
        if let user, let password { lines.append("authorization { user: \"\(user)\", password: \"\(password)\" }") }
        let file = directory.appendingPathComponent("nats.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(
            fileURLWithPath: NginxServer.findExecutable("nats-server") ?? "/usr/sbin/nats-server")
        process.arguments = ["--config", file.path]
        let log = directory.appendingPathComponent("nats.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FreePort.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw NginxServer.StartFailure(description: "nats-server did not start on port \(port)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    public var isRunning: Bool { process.isRunning }

    /// What the server logged so far (`Slow Consumer Detected`).
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("nats.log"), encoding: .utf8)) ?? ""
    }

    /// Kills the server (SIGKILL) and waits for it, leaving its directory: a broker that dies mid-run.
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops nats-server and removes its directory.
    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        stop()
    }
}
