import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Sends `signal` to the process while it runs; false, sending nothing, once it has ended.
    ///
    /// Foundation reaps a process as soon as it exits, and its pid is then free for the next process started on
    /// the machine (pids wrap at 32,768 here): a signal sent to an ended test process's pid killed other tests'
    /// processes (a CPU burner's children, a run's app) when the suite ran in parallel. `isRunning` stays true
    /// until the reaping, so the pid is still this process's (or its zombie's) when it is signalled.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        guard isRunning else { return false }
        return kill(processIdentifier, signal) == 0
    }
}
