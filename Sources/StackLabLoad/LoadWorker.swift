/// One thread's share of a load run, whatever the protocol: the engine's view of a worker.
///
/// Every call is made on the worker's own thread (through a ``WorkerHandle``). ``SocketWorker`` runs on raw
/// sockets and epoll, ``NIOWorker`` on SwiftNIO; both are generic over a ``WireCodec`` and leave every decision
/// to their ``WorkerCore``.
protocol LoadWorker: AnyObject {
    /// Opens the connections before the run.
    func connectAll()
    /// Connections that have opened or failed since `connectAll`.
    var settledCount: Int { get }
    /// Notes the connections open at the start of traffic, and returns how many.
    func noteEstablishedAtStart() -> Int
    /// Why no connection could be opened, for a protocol that must have one before the run (SQL); nil otherwise.
    var setupFailure: String? { get }
    /// Starts traffic at `start` (uptime nanoseconds).
    func begin(start: Int64)
    /// Seconds of the series completed since the last call.
    func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second]
    /// Ends traffic; requests due in the window but never sent are counted.
    func stop(at time: Int64)
    /// Requests sent and not yet answered.
    var inFlight: Int { get }
    /// Closes every connection and hands over what was measured.
    func finish() -> WorkerTally
}

/// A worker whose decisions are its ``WorkerCore``'s: the run phases that only ask or tell the core.
protocol CoreWorker: LoadWorker {
    var core: WorkerCore { get set }
}

extension CoreWorker {
    var settledCount: Int { core.settledCount }
    func noteEstablishedAtStart() -> Int {
        core.noteEstablishedAtStart()
        return core.tally.established
    }
    var setupFailure: String? { nil }
    func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second] { core.takeFinishedSeconds(upTo: now) }
    func stop(at time: Int64) { core.stop(at: time) }
    var inFlight: Int { core.inFlight }
}
