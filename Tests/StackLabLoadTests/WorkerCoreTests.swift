import StackLabCore
import Testing

@testable import StackLabLoad

/// The scheduling core's decisions, on a fake clock with fake connections: what every transport and protocol
/// inherits.
struct WorkerCoreTests {
    func options(rate: Double?, seconds: Double, timeout: Int64 = 5_000_000_000) throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: "http://127.0.0.1:1/"))
        options.durationNanoseconds = Int64(seconds * 1e9)
        options.timeoutNanoseconds = timeout
        if let rate { options.arrival = .openLoop(.constant(rate: rate, nanoseconds: options.durationNanoseconds)) }
        return options
    }

    /// A reply that takes half a second holds back every request due meanwhile on the one connection: their
    /// latency counts from when they were due (coordinated omission corrected), their service time does not.
    @Test func aStallShowsInLatencyFromTheDueTime() throws {
        var run = FakeRun(options: try options(rate: 100, seconds: 2))
        run.transport.replyDelay = { $0 == 50 ? 500_000_000 : 1_000_000 }
        run.start()
        run.run(until: 3_000_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(tally.completed == 200)
        #expect(tally.errors.total == 0)
        // The ~49 due during the stall, and a few while the backlog drains, each waiting for the connection.
        #expect(tally.queued >= 45 && tally.queued <= 60, "queued \(tally.queued)")
        #expect(tally.latency.max >= 495_000_000 / 1_000, "latency max \(tally.latency.max)")
        #expect(tally.latency.valueAtPercentile(85) >= 100_000, "the slowest 15% waited ≥ 100 ms")
        #expect(tally.latency.valueAtPercentile(50) <= 2_000, "latency p50 \(tally.latency.valueAtPercentile(50))")
        #expect(
            tally.serviceTime.valueAtPercentile(90) <= 2_000,
            "service time p90 \(tally.serviceTime.valueAtPercentile(90))")
        #expect(tally.outcomes.statusCodes == ["200": 200])
    }

    /// A request past the timeout fails as a timeout; its connection is closed and opened again, and the
    /// requests after it complete.
    @Test func aTimeoutFailsTheRequestAndReopensItsConnection() throws {
        var run = FakeRun(options: try options(rate: 100, seconds: 1, timeout: 100_000_000))
        run.transport.replyDelay = { $0 == 10 ? nil : 1_000_000 }
        run.start()
        run.run(until: 2_000_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(tally.errors.timeout == 1)
        #expect(tally.errors.read == 0)
        #expect(run.transport.opens.count == 2)
        #expect(tally.completed == 99)
        #expect(run.core.inFlight == 0)
    }

    /// A refused connect is counted once per attempt in the run (the first, before traffic starts, is not) and
    /// retried after the back-off, not in a tight loop; the run goes on once the server accepts.
    @Test func aRefusedConnectBacksOff() throws {
        var run = FakeRun(options: try options(rate: nil, seconds: 1, timeout: 1_000_000_000))
        run.transport.openResults = [.failed, .failed, .failed]
        run.start()
        run.run(until: 1_000_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(tally.errors.connect == 2)
        let times = run.transport.opens.map(\.at)
        #expect(times.count == 4, "opens at \(times)")
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= WorkerCore.connectBackoff, "opens at \(times)")
        }
        // A closed loop over one connection, 1 ms a reply, from the fourth open on.
        #expect(tally.completed > 500)
    }

    /// Stopped mid-run while its connection is stalled: nothing more is sent, requests due before the stop that
    /// never went are unsent, the one in flight is abandoned when the worker finishes.
    @Test func aStopMidRunCountsUnsentAndAbandoned() throws {
        var run = FakeRun(options: try options(rate: 100, seconds: 2))
        run.transport.replyDelay = { $0 == 50 ? 10_000_000_000 : 1_000_000 }
        run.start()
        run.run(until: 1_000_000_000)
        run.core.stop(at: run.now)
        let writes = run.transport.writes.count
        run.run(until: 1_500_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(run.transport.writes.count == writes)
        #expect(writes == 51)
        #expect(tally.completed == 50)
        #expect(tally.abandoned == 1)
        // Due from 0.51 s to the stop at 1 s, never sent: 49 (give or take the edge).
        #expect(abs(tally.unsent - 49) <= 1, "unsent \(tally.unsent)")
        #expect(tally.attempted == tally.completed + tally.abandoned)
    }

    /// An open loop waits for a free place: with every connection busy the next due request is not sent until a
    /// reply frees one, and then it is counted as queued.
    @Test func anOpenLoopSendsNoMoreThanItsPlaces() throws {
        var run = FakeRun(options: try options(rate: 1000, seconds: 1), connections: 2)
        run.transport.replyDelay = { _ in 5_000_000 }
        run.start()
        run.run(until: 100_000_000)
        #expect(run.core.inFlight <= 2)
        #expect(run.transport.writes.count <= 2 * 100 / 5 + 2)
        let tally = run.core.finish(via: run.transport)
        #expect(tally.queued > 0)
    }

    /// A pipeline keeps `depth` requests in flight on one connection; when it times out, every one of them fails.
    @Test func aPipelineFillsItsDepthAndATimeoutFailsAllItCarries() throws {
        var run = FakeRun(options: try options(rate: nil, seconds: 1, timeout: 100_000_000), depth: 4)
        run.outcome = .resp(.value)
        run.transport.replyDelay = { $0 < 4 ? nil : 1_000_000 }
        run.start()
        #expect(run.transport.writes.count == 4)
        #expect(run.core.inFlight == 4)
        run.run(until: 1_000_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(tally.errors.timeout == 4)
        #expect(run.transport.opens.count == 2)
        #expect(tally.completed > 1_000, "a closed loop, four in flight, 1 ms a reply")
        #expect(tally.outcomes.replies?.value == tally.completed)
        #expect(tally.outcomes.statusCodes.isEmpty)
    }

    /// Without keep-alive a connection is a slot: each request opens one, its reply closes it, and the time to
    /// open is in the request's service time.
    @Test func withoutKeepAliveEachRequestOpensAndClosesItsConnection() throws {
        var options = try options(rate: 100, seconds: 1)
        options.keepAlive = false
        var run = FakeRun(options: options, connections: 2)
        run.transport.replyDelay = { _ in 15_000_000 }
        run.start()
        // The first request, due at the start, opens the first slot's connection.
        #expect(run.transport.opens.count == 1)
        run.run(until: 1_100_000_000)
        let tally = run.core.finish(via: run.transport)

        #expect(tally.completed == 100)
        #expect(run.transport.opens.count == 100)
        #expect(run.transport.writes.count == 100)
        #expect(tally.established == 2)
        #expect(tally.errors.total == 0)
    }
}
