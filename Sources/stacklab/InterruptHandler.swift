import Dispatch
import Foundation

/// Ctrl-C ends the run early and still reports it; a second Ctrl-C exits at once.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let count = NSLock()
        nonisolated(unsafe) var seen = 0
        source.setEventHandler {
            count.lock()
            seen += 1
            let times = seen
            count.unlock()
            if times > 1 { exit(130) }
            onInterrupt()
        }
        source.resume()
        self.source = source
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
