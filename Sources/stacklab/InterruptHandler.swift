import Dispatch
import Foundation

/// SIGINT (Ctrl-C), SIGTERM (systemd, Kubernetes, CI runners) and SIGHUP (a closing terminal) all end the
/// run early and still report it; a second one of any of them exits at once.
///
/// The first signal calls the handler with its number; the command then exits `128 + signal` (130, 143,
/// 129) once it has stopped what it started. A second signal exits with that same status without waiting;
/// the orphan watchdog then kills the components.
final class InterruptHandler: @unchecked Sendable {
    /// The signals handled, in the order their numbers are listed in the README.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let sources: [any DispatchSourceSignal]
    /// Guards `received`, set from the signal sources' queue.
    private let first = NSLock()
    private var received: Int32?

    init(_ onInterrupt: @escaping @Sendable (_ signal: Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        // A queue of its own, which gets a thread even when every thread of the global queues is blocked (an
        // initdb waited for, a pipe read to its end): on `.global()`, a Ctrl-C then waited 0.8 s for one.
        let queue = DispatchQueue(label: "stacklab.signals")
        for number in Self.signals {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (number, source) in zip(Self.signals, sources) {
            source.setEventHandler { [unowned self] in
                if let earlier = self.record(number) { exit(128 + earlier) }
                onInterrupt(number)
            }
            source.resume()
        }
    }

    /// The first signal received, if any.
    var firstSignal: Int32? {
        first.lock()
        defer { first.unlock() }
        return received
    }

    /// The status to exit with after an interrupted command: 128 + the first signal's number, 130 for none.
    var exitCode: Int32 { 128 + (firstSignal ?? SIGINT) }

    /// How the run was ended, for the stored abort reason: `interrupted (Ctrl-C)`, `interrupted (SIGTERM)`.
    static func reason(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "interrupted (Ctrl-C)"
        case SIGTERM: "interrupted (SIGTERM)"
        case SIGHUP: "interrupted (SIGHUP)"
        default: "interrupted (signal \(signal))"
        }
    }

    /// Records `number`; returns the earlier signal when this is the second.
    private func record(_ number: Int32) -> Int32? {
        first.lock()
        defer { first.unlock() }
        if let received { return received }
        received = number
        return nil
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in Self.signals { Foundation.signal(number, SIG_DFL) }
    }
}
