import NIOCore

/// A load worker and the way to run code on the thread that owns it.
///
/// The engine talks to every worker through this, whatever its thread is: a SwiftNIO event loop for
/// ``NIOWorker``, a ``WorkerThread`` for ``SocketWorker``.
struct WorkerHandle: @unchecked Sendable {
    let worker: any LoadWorker
    private let execute: @Sendable (@escaping @Sendable () -> Void) -> Void

    init(worker: any LoadWorker, execute: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void) {
        self.worker = worker
        self.execute = execute
    }

    init(worker: any LoadWorker, loop: any EventLoop) {
        self.init(worker: worker) { loop.execute($0) }
    }

    /// Runs `body` on the worker's thread and returns what it returned.
    func perform<T: Sendable>(_ body: @escaping @Sendable (any LoadWorker) -> T) async -> T {
        let handle = self
        return await withCheckedContinuation { continuation in
            handle.execute { continuation.resume(returning: body(handle.worker)) }
        }
    }

    /// Closes the worker's connections without waiting: for a run that ends by an error.
    func abandon() {
        let handle = self
        execute { _ = handle.worker.finish() }
    }
}
