#if os(Linux)
import CStackLabSockets
import Glibc
import Foundation
import NIOConcurrencyHelpers
import StackLabCore

/// A thread of its own for one ``SocketWorker``: runs the worker's loop, and the calls other threads
/// hand it between two waits.
///
/// A call is queued and the thread woken through an eventfd that the worker's epoll sets watch. Once the
/// thread has ended, calls run where they are made: nothing else touches the worker then.
final class WorkerThread: @unchecked Sendable {
    let wakeDescriptor: Int32
    private let queue = NIOLockedValueBox(Queue())

    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var ended = false
    }

    init() throws {
        let descriptor = sl_eventfd()
        guard descriptor >= 0 else {
            throw UserError("cannot create an eventfd: \(String(cString: strerror(-descriptor)))")
        }
        wakeDescriptor = descriptor
    }

    /// Starts the thread; `body` runs on it until it returns, then the thread ends.
    func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            let late = queue.withLockedValue { queue in
                queue.ended = true
                defer { queue.jobs = [] }
                return queue.jobs
            }
            for job in late { job() }
            sl_close(wakeDescriptor)
        }
        thread.name = "stacklab-load"
        thread.start()
    }

    /// Runs `job` on the thread at its next wake-up, or here if the thread has ended.
    func execute(_ job: @escaping @Sendable () -> Void) {
        // Signalled under the lock: the thread closes the eventfd only after it has marked itself ended.
        let queued = queue.withLockedValue { queue in
            guard !queue.ended else { return false }
            queue.jobs.append(job)
            sl_eventfd_signal(wakeDescriptor)
            return true
        }
        if !queued { job() }
    }

    /// Called on the thread when the eventfd is readable: runs the jobs queued since the last call.
    func runJobs() {
        sl_eventfd_drain(wakeDescriptor)
        let jobs = queue.withLockedValue { queue in
            defer { queue.jobs = [] }
            return queue.jobs
        }
        for job in jobs { job() }
    }
}
#endif
