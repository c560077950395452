import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server for tests, with no persistence, in its own temporary directory.
///
/// Tests that need it check ``RedisServer/isInstalled`` first and are skipped with a visible reason when
/// it is not; `scripts/test.sh` installs redis-server and redis-tools, so there they always run.
public final class RedisServer {
    public let port: Int
    public let directory: URL
    public let password: String?
    private let process: Process

    public static var isInstalled: Bool {
        NginxServer.findExecutable("redis-server") != nil && NginxServer.findExecutable("redis-cli") != nil
    }

    /// The reason shown when a test is skipped.
    public static let missing = "redis-server is not installed (apt-get install redis-server redis-tools)"

    /// Starts redis-server on a free loopback port; with `password`, it requires `AUTH password`.
    public init(password: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.next()
        self.password = password
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.path,
            "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if let password { arguments += ["--requirepass", password] }
        process = Process()
        process.executableURL = URL(
            fileURLWithPath: NginxServer.findExecutable("redis-server") ?? "/usr/bin/redis-server")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FreePort.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw NginxServer.StartFailure(description: "redis-server did not start on port \(port)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Runs one command with redis-cli and returns its output, trimmed.
    @discardableResult
    public func command(_ arguments: String...) throws -> String {
        try Self.cli(port: port, password: password, arguments)
    }

    /// Runs redis-cli against 127.0.0.1:`port`.
    public static func cli(port: Int, password: String? = nil, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NginxServer.findExecutable("redis-cli") ?? "/usr/bin/redis-cli")
        var all = ["-h", "127.0.0.1", "-p", String(port)]
        if let password { all += ["--no-auth-warning", "-a", password] }
        process.arguments = all + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops redis-server and removes its directory.
    ///
    /// With SIGKILL: a child started from a Swift concurrency thread inherits that thread's blocked
    /// signals, SIGTERM among them, and redis-server does not unblock it.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        stop()
    }
}
