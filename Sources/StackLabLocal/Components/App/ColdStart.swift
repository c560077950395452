import Dispatch
import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Cold start: the time from spawning a server process to its first correct answer, median of several starts.
///
/// Each start spawns the program under the supervisor, then sends `GET path` to its port every
/// `pollInterval` (0.2 ms by default) from a thread of its own until an answer is 200 with the expected
/// body, then stops the process and its group before the next start. Times come from the monotonic clock,
/// read just before the spawn; they include the supervisor's `setpriv` (and `taskset`) wrapper exec and, as
/// root, the `sh` that joins the component's cgroup, about a millisecond together, the same for every
/// runtime.
public enum ColdStart {
    /// What the starts measured.
    public struct Result: Sendable, Equatable {
        /// Each start's time to the first correct answer, in start order.
        public var samples: [Duration]

        /// The median of the samples (the mean of the two middle ones for an even count).
        public var median: Duration {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return .zero }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }

        public var fastest: Duration { samples.min() ?? .zero }
        public var slowest: Duration { samples.max() ?? .zero }
    }

    /// The answer that counts as served: `GET /json` with the standard object unless told otherwise.
    public struct Target: Sendable, Equatable {
        public var path: String
        /// The body a 200 must carry, compared byte for byte, or as compact JSON when the answer's
        /// `Content-Type` is JSON; nil accepts any 200.
        public var body: String?

        public init(path: String, body: String?) {
            self.path = path
            self.body = body
        }

        /// `GET /json` answering `{"message":"Hello, World!"}`.
        public static let json = Target(path: "/json", body: #"{"message":"Hello, World!"}"#)

        func accepts(_ answer: HTTPAnswer) -> Bool {
            guard answer.status == 200 else { return false }
            guard let body else { return true }
            if answer.body == Array(body.utf8) { return true }
            let isJSON = AppVerifier.hasMediaType(answer.header("Content-Type") ?? "", "application/json")
            return isJSON && AppVerifier.compactJSON(answer.body) == AppVerifier.compactJSON(Array(body.utf8))
        }
    }

    /// Starts a program `starts` times and measures each start.
    ///
    /// - Parameters:
    ///   - command: the command for start `index` (from 0) serving on `port`; each start gets a fresh port, so
    ///     a socket left in TIME_WAIT by the previous one cannot delay the bind. Its name is suffixed with the
    ///     index to keep each start's logs.
    ///   - timeout: the longest one start may take to answer.
    /// - Throws: `UserError` with the log tail when a start exits early or does not answer correctly in
    ///   `timeout`; `CancellationError`. Every process started has been stopped when this returns or throws.
    public static func measure(
        starts: Int, target: Target = .json, supervisor: ProcessSupervisor, ports: PortAllocator = PortAllocator(),
        timeout: Duration = .seconds(30), pollInterval: Duration = .microseconds(200),
        command: (_ port: Int, _ index: Int) throws -> LaunchCommand
    ) async throws -> Result {
        precondition(starts > 0, "at least one start")
        var samples: [Duration] = []
        for index in 0..<starts {
            try Task.checkCancellation()
            let port = try ports.next()
            var launch = try command(port, index)
            launch.name += "-\(index + 1)"
            samples.append(
                try await measureOnce(
                    launch, port: port, target: target, supervisor: supervisor, timeout: timeout,
                    pollInterval: pollInterval))
        }
        return Result(samples: samples)
    }

    /// Measures `component`'s local recipe (an app under `apps/`, or the Swift app from `binDirectory`).
    ///
    /// - Throws: what `ComponentRecipe.plan` and `measure(starts:…)` throw.
    public static func measure(
        _ component: Component, starts: Int, binDirectory: URL, supervisor: ProcessSupervisor,
        target: Target = .json, cpus: CPUSet? = nil, timeout: Duration = .seconds(30)
    ) async throws -> Result {
        try await measure(starts: starts, target: target, supervisor: supervisor, timeout: timeout) { port, _ in
            try ComponentRecipe.plan(
                component, port: port, upstreamPort: nil, binDirectory: binDirectory,
                runDirectory: supervisor.runDirectory, cpus: cpus
            ).command
        }
    }

    private static func measureOnce(
        _ command: LaunchCommand, port: Int, target: Target, supervisor: ProcessSupervisor, timeout: Duration,
        pollInterval: Duration
    ) async throws -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        let child = try await supervisor.start(command)
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<PollOutcome, Never>) in
            // A thread of its own: polling every 0.2 ms must not wait for a turn on the concurrency pool.
            Thread.detachNewThread {
                continuation.resume(
                    returning: poll(
                        child, port: port, target: target, deadline: started + timeout, interval: pollInterval,
                        clock: clock))
            }
        }
        await supervisor.stop(child)
        switch outcome {
        case .served(let instant):
            return instant - started
        case .exited(let status):
            throw UserError(
                "\(child.name) \(status) before it served GET \(target.path) (cold start)\n\(child.logTail())")
        case .timedOut(let last):
            throw UserError(
                "\(child.name) did not serve GET \(target.path) correctly within \(timeout.text) (cold start); "
                    + "last attempt: \(last)\n\(child.logTail())")
        }
    }

    private enum PollOutcome: Sendable {
        case served(ContinuousClock.Instant)
        case exited(ExitStatus)
        case timedOut(last: String)
    }

    /// Blocks the calling thread until the child serves `target`, exits, or the deadline passes.
    private static func poll(
        _ child: ChildProcess, port: Int, target: Target, deadline: ContinuousClock.Instant, interval: Duration,
        clock: ContinuousClock
    ) -> PollOutcome {
        var last = "no attempt"
        var attempts = 0
        var pause = timespec(
            tv_sec: Int(interval.components.seconds), tv_nsec: Int(interval.components.attoseconds / 1_000_000_000))
        while true {
            do throws(LoopbackSocket.Failure) {
                let answer = try LoopbackSocket.get(port: port, path: target.path, timeout: .seconds(1))
                let now = clock.now
                if target.accepts(answer) { return .served(now) }
                last = "HTTP \(answer.status) '\(AppVerifier.excerpt(answer))'"
            } catch {
                last = error.reason
            }
            attempts += 1
            // Looking at the process table costs a system call; every 25th attempt (about 5 ms) is enough.
            if attempts % 25 == 0, let status = child.exitStatus { return .exited(status) }
            if clock.now >= deadline { return .timedOut(last: last) }
            nanosleep(&pause, nil)
        }
    }
}
