@testable import StackLabLoad

/// Connections for ``WorkerCore`` without sockets: opens answer as told, every write gets a reply after a delay
/// chosen by the test, a close drops the replies still to come on that connection.
final class FakeTransport: WorkerTransport {
    struct Reply {
        var connection: Int
        var at: Int64
    }

    /// How opens answer, in turn; past the list, `.open`.
    var openResults: [OpenStart] = []
    /// The delay of the reply to the n-th write (from 0); nil means no reply ever comes.
    var replyDelay: (Int) -> Int64? = { _ in 1_000_000 }
    private(set) var opens: [(connection: Int, at: Int64)] = []
    private(set) var writes: [(connection: Int, at: Int64)] = []
    private(set) var closes: [Int] = []
    private var replies: [Reply] = []

    func open(_ connection: Int, now: Int64) -> OpenStart {
        opens.append((connection, now))
        return opens.count <= openResults.count ? openResults[opens.count - 1] : .open
    }

    func write(on connection: Int, now: Int64) -> Int? {
        if let delay = replyDelay(writes.count) { replies.append(Reply(connection: connection, at: now + delay)) }
        writes.append((connection, now))
        return 100
    }

    func close(_ connection: Int) {
        closes.append(connection)
        replies.removeAll { $0.connection == connection }
    }

    /// The earliest reply due by `now`, taken.
    func takeReply(upTo now: Int64) -> Reply? {
        guard let index = replies.indices.min(by: { replies[$0].at < replies[$1].at }), replies[index].at <= now
        else { return nil }
        return replies.remove(at: index)
    }
}

/// Runs a core against a ``FakeTransport`` on a fake clock, in steps of a millisecond.
struct FakeRun {
    var core: WorkerCore
    let transport = FakeTransport()
    var now: Int64 = 0
    /// What every reply says.
    var outcome = ReplyOutcome.http(status: 200)
    private var nextSweep: Int64 = 0

    init(options: LoadOptions, connections: Int = 1, depth: Int = 1) {
        core = WorkerCore(options: options, workerIndex: 0, workerCount: 1, connections: connections, depth: depth)
    }

    /// Opens the connections and starts traffic at time 0.
    mutating func start() {
        core.openNext(now: now, via: transport)
        core.begin(start: 0)
        core.startTraffic(now: now, via: transport)
    }

    /// Advances the clock to `end`: delivers replies as they come, sends what is due, sweeps.
    mutating func run(until end: Int64) {
        while now < end {
            now += 1_000_000
            core.renewOpenBudget()
            while let reply = transport.takeReply(upTo: now) {
                core.completed(
                    reply.connection, outcome: outcome, closeAfter: !core.keepAlive, arrived: reply.at, now: now,
                    via: transport)
            }
            core.dispatchDue(now: now, via: transport)
            if now >= nextSweep {
                core.sweep(now: now, via: transport)
                nextSweep = now + core.sweepEvery
            }
        }
    }
}
