import Foundation

/// The one thread that starts every child process, and never ends.
///
/// Linux sends a child its parent-death signal (`setpriv --pdeathsig`) when the *thread* that created it
/// exits, not the process. Threads of the concurrency and Dispatch pools come and go, so a child started from
/// one could be killed in the middle of a run; starting them all from this thread avoids that.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "stacklab.spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns its result.
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(with: Result(catching: body)) }
            condition.signal()
            condition.unlock()
        }
    }

    private func serve() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
