/// One event loop's share of a load run, whatever the protocol: the engine's view of a worker.
///
/// Every call is made on the worker's own thread (through a ``WorkerHandle``). ``SocketHTTPWorker`` speaks
/// plain HTTP/1.1 over keep-alive connections on raw sockets; ``LoopWorker`` speaks HTTP/1.1 on SwiftNIO (TLS,
/// a connection per request), both with one request in flight per connection; ``RedisLoopWorker`` speaks RESP
/// with up to a pipeline's depth in flight.
protocol LoadWorker: AnyObject {
    /// Opens the connections before the run.
    func connectAll()
    /// Connections that have opened or failed since `connectAll`.
    var settledCount: Int { get }
    func noteEstablishedAtStart()
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

extension LoopWorker: LoadWorker {}
