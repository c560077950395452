/// The transport side of a load worker as ``WorkerCore`` sees it: it opens, writes on and closes connections.
///
/// The core decides, the transport moves bytes. A transport (epoll sockets, SwiftNIO) owns the sockets and the
/// codec; the core calls it back from its own methods, so a transport never touches its core from these calls:
/// what happened is in the return value.
protocol WorkerTransport: AnyObject {
    /// Starts opening `connection`: ``OpenStart/open`` when it opened at once, ``OpenStart/pending`` when the
    /// transport will call ``WorkerCore/connected(_:now:via:)`` or ``WorkerCore/connectFailed(_:now:via:)`` later.
    func open(_ connection: Int, now: Int64) -> OpenStart
    /// Writes the next request on the open `connection`; returns the request's bytes, or nil when the
    /// connection broke.
    func write(on connection: Int, now: Int64) -> Int?
    /// As ``write(on:now:)``, told when the request was due: a messaging codec stamps each message with its
    /// intended send time. By default the due time is not needed.
    func write(on connection: Int, due: Int64, now: Int64) -> Int?
    /// Closes `connection`; its late events must be ignored.
    func close(_ connection: Int)
    /// Whether the turn of the loop that began at `start` has run long enough that no more opens should start in
    /// it: a connect costs milliseconds once thousands of ports to one target are taken, and a turn that opened
    /// 256 of them held a stop (Ctrl-C) up for seconds.
    func turnIsLong(since start: Int64) -> Bool
}

extension WorkerTransport {
    /// By default a turn is never too long: opens are bounded by the batch alone.
    func turnIsLong(since start: Int64) -> Bool { false }

    func write(on connection: Int, due: Int64, now: Int64) -> Int? { write(on: connection, now: now) }
}

/// How an open started.
enum OpenStart {
    case open
    case pending
    case failed
}
