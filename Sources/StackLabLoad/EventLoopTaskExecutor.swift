import NIOCore

/// Runs a task's jobs on one event loop, so that a SQL client's task and its connection's channel share a
/// thread: a statement's reply resumes the task on the loop that read it, with no wake-up of another thread.
@available(macOS 15.0, *)
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
