import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// How to tell that a component is ready to serve: something on 127.0.0.1 answers.
public enum ReadinessProbe: Sendable, Equatable, CustomStringConvertible {
    /// A TCP connection to 127.0.0.1:`port` succeeds.
    case tcp(port: Int)
    /// `GET path HTTP/1.1` to 127.0.0.1:`port` gets a 2xx or 3xx answer.
    case http(port: Int, path: String = "/")
    /// A MySQL server on 127.0.0.1:`port` greets a new connection (MariaDB greets only once its init file ran).
    case mysql(port: Int)
    /// A client's first bytes to 127.0.0.1:`port` get the answer a server of `protocolName` gives: `expect`, byte
    /// for byte where it is not nil (AMQP's protocol header answered by `Connection.Start`, MQTT's CONNECT by an
    /// accepting CONNACK).
    case handshake(port: Int, protocolName: String, send: [UInt8], expect: [UInt8?])

    /// What the probe waits for, for messages.
    public var description: String {
        switch self {
        case .tcp(let port): "a TCP connection to 127.0.0.1:\(port)"
        case .http(let port, let path): "an HTTP 2xx/3xx answer to GET \(path) on 127.0.0.1:\(port)"
        case .mysql(let port): "a MySQL greeting from 127.0.0.1:\(port)"
        case .handshake(let port, let name, _, _): "an \(name) answer to a client's first bytes on 127.0.0.1:\(port)"
        }
    }

    /// Tries once. Returns nil when ready, otherwise what was seen ("connect: Connection refused", "HTTP 503").
    ///
    /// Blocks the calling thread for at most `timeout`.
    public func check(timeout: Duration = .seconds(1)) -> String? {
        do {
            switch self {
            case .tcp(let port):
                close(try LoopbackSocket.connect(port: port, timeout: timeout))
                return nil
            case .http(let port, let path):
                let status = try LoopbackSocket.httpStatus(port: port, path: path, timeout: timeout)
                return (200..<400).contains(status) ? nil : "HTTP \(status)"
            case .mysql(let port):
                try LoopbackSocket.mysqlGreeting(port: port, timeout: timeout)
                return nil
            case .handshake(let port, let name, let greeting, let expect):
                try LoopbackSocket.handshake(
                    port: port, protocolName: name, send: greeting, expect: expect, timeout: timeout)
                return nil
            }
        } catch {
            return error.reason
        }
    }

    /// Polls every `interval` until the probe passes.
    ///
    /// - Throws: `UserError` naming the component, what it waited for and the tail of its logs, when the
    ///   child exits first or `timeout` passes; `CancellationError` when the task is cancelled. The child is
    ///   left running: stop it, or let `withSupervisor` do so.
    public func wait(
        for child: ChildProcess, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(50)
    )
        async throws
    {
        if let failure = try await poll(child, timeout: timeout, interval: interval) {
            throw failure.userError()
        }
    }

    /// Why a component did not become ready.
    struct Failure: Error {
        var child: ChildProcess
        var probe: ReadinessProbe
        var timeout: Duration
        /// How it ended, when it exited before it was ready.
        var exit: ExitStatus?
        var lastAttempt: String?

        func userError() -> UserError {
            let logs = child.standardErrorLog.deletingLastPathComponent().path
            let headline: String
            if let exit {
                headline =
                    "\(child.name) \(child.ending(exit)) before it was ready (waited for \(probe)); see its logs in \(logs)"
            } else {
                let last = lastAttempt.map { " (last attempt: \($0))" } ?? ""
                headline =
                    "\(child.name) did not become ready within \(timeout.text): waited for \(probe)\(last); "
                    + "see its logs in \(logs), or allow a longer readiness timeout"
            }
            return UserError(headline + "\n" + child.logTail())
        }
    }

    /// Polls until ready (nil) or a failure to report.
    func poll(_ child: ChildProcess, timeout: Duration, interval: Duration = .milliseconds(50)) async throws -> Failure?
    {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastAttempt: String?
        while true {
            if let exit = child.exitStatus {
                return Failure(child: child, probe: self, timeout: timeout, exit: exit, lastAttempt: lastAttempt)
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                return Failure(child: child, probe: self, timeout: timeout, exit: nil, lastAttempt: lastAttempt)
            }
            lastAttempt = check(timeout: min(remaining, .seconds(1)))
            guard lastAttempt != nil else { return nil }
            // A child that died during the attempt is reported as exited, not as refusing connections.
            if let exit = child.exitStatus {
                return Failure(child: child, probe: self, timeout: timeout, exit: exit, lastAttempt: lastAttempt)
            }
            try await Task.sleep(for: min(interval, max(deadline - clock.now, .zero)))
        }
    }
}
