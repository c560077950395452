import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad

/// The engine against a real server in the same process; serialized because timing is what they measure.
@Suite(.serialized)
struct LoadEngineTests {
    func options(
        _ server: TestServer, rate: Double?, seconds: Double, connections: Int = 4, path: String = "/"
    ) throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: server.url + path))
        options.connections = connections
        options.threads = 1
        options.durationNanoseconds = Int64(seconds * 1e9)
        options.timeoutNanoseconds = 2_000_000_000
        if let rate {
            options.arrival = .openLoop(.constant(rate: rate, nanoseconds: options.durationNanoseconds))
        }
        return options
    }

    func run(_ options: LoadOptions) async throws -> LoadRun {
        try await LoadEngine(options: options).run()
    }

    /// Plain HTTP runs on raw sockets by default and on SwiftNIO with `--io nio`; the tests that matter most run on both.
    static let ioPaths = [true, false]

    @Test(arguments: ioPaths)
    func coordinatedOmissionShowsInCorrectedLatencyOnly(directSockets: Bool) async throws {
        let server = try TestServer()
        server.stallOnce(afterRequests: 300, milliseconds: 1000)
        var options = try options(server, rate: 100, seconds: 10, connections: 1)
        options.directSockets = directSockets
        let open = try await run(options).result
        try await server.shutdown()

        // The stall delays every request due during that second: a tenth of the run.
        #expect(open.latency.p99 >= 400_000, "corrected p99 \(open.latency.p99)µs")
        #expect(open.serviceTime.p99 < 100_000, "service-time p99 \(open.serviceTime.p99)µs")
        #expect(open.serviceTime.max >= 900_000)
        #expect(open.errors.total == 0)
    }

    @Test func closedLoopHidesTheSameStall() async throws {
        let server = try TestServer()
        server.set(delayMilliseconds: 10)
        server.stallOnce(afterRequests: 200, milliseconds: 1000)
        let closed = try await run(try options(server, rate: nil, seconds: 8, connections: 1)).result
        try await server.shutdown()

        // One slow response among hundreds: the closed loop's p99 sees no stall at all.
        #expect(closed.arrival.model == "closed")
        #expect(closed.serviceTime.max >= 900_000)
        #expect(closed.serviceTime.p99 < 100_000, "closed-loop p99 \(closed.serviceTime.p99)µs")
    }

    /// While a connection is free, an open loop on raw sockets sleeps until the next send (50 ms apart here) and
    /// reads the replies that came meanwhile: each must still be timed by when it arrived (5 ms after its
    /// request), not by when it was read.
    @Test(arguments: ioPaths)
    func repliesAreTimedByTheirArrivalNotByWhenTheyAreRead(directSockets: Bool) async throws {
        let server = try TestServer()
        server.set(delayMilliseconds: 5)
        var options = try options(server, rate: 20, seconds: 2, connections: 2)
        options.directSockets = directSockets
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.requests.completed == 40)
        #expect(result.serviceTime.p50 >= 5_000, "service-time p50 \(result.serviceTime.p50)µs")
        // Read at the next send, replies would show ~50 ms; the 90th percentile, not the maximum, so that one
        // scheduling hiccup of a busy machine does not fail the test.
        #expect(result.serviceTime.p90 < 30_000, "service-time p90 \(result.serviceTime.p90)µs")
        #expect(result.latency.p90 < 30_000, "corrected p90 \(result.latency.p90)µs")
    }

    /// A reply too large for the receive window the kernel offers an unread socket must be read as it comes:
    /// left until the next send (50 ms here), it would hold the server back, and the wait would count as latency.
    @Test(arguments: ioPaths)
    func largeRepliesAreReadAsTheyCome(directSockets: Bool) async throws {
        let server = try TestServer()
        server.set(.large(2_000_000))
        var options = try options(server, rate: 20, seconds: 2, connections: 2)
        options.directSockets = directSockets
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.requests.completed == 40)
        #expect(result.requests.bytesReceived >= 40 * 2_000_000)
        // Left until the next send, a 2 MB reply would come in one 64 KiB read per send, about 30 sends (1.5 s)
        // later; read as it comes it takes milliseconds. The median, with a wide margin both ways, so that a
        // busy machine's slow reads (p99 of 190 ms seen at load average 14) do not fail the test.
        #expect(result.serviceTime.p50 < 150_000, "service-time p50 \(result.serviceTime.p50)µs")
    }

    @Test func quietOpenLoopReachesItsRate() async throws {
        let server = try TestServer()
        let result = try await run(try options(server, rate: 500, seconds: 4)).result
        try await server.shutdown()
        #expect(abs(result.achievedRate - 500) / 500 < 0.01, "achieved \(result.achievedRate)/s")
        #expect(result.requests.completed == 2000)
        #expect(result.requests.unsent == 0)
        #expect(result.generator.connectionsEstablished == 4)
        #expect(result.series.count == 4)
        #expect(result.series.allSatisfy { abs($0.requests - 500) <= 10 })
        #expect(result.statusCodes == ["200": 2000])
    }

    @Test func stagesFollowTheirRamp() async throws {
        let server = try TestServer()
        var options = try options(server, rate: nil, seconds: 4)
        // 0 → 400/s over 2 s, then 400/s for 2 s: per second 100, 300, 400, 400.
        options.arrival = .openLoop(.ramp([(2_000_000_000, 400), (2_000_000_000, 400)]))
        let result = try await run(options).result
        try await server.shutdown()
        let perSecond = result.series.map(\.requests)
        #expect(perSecond.count == 4)
        for (measured, expected) in zip(perSecond, [100, 300, 400, 400]) {
            #expect(abs(measured - expected) <= expected / 10 + 2, "series \(perSecond)")
        }
        #expect(result.arrival.model == "stages")
        #expect(result.requests.completed == 1200)
    }

    @Test func warmupIsSentButNotRecorded() async throws {
        let server = try TestServer()
        var options = try options(server, rate: 200, seconds: 2)
        options.warmupNanoseconds = 1_000_000_000
        options.arrival = .openLoop(.constant(rate: 200, nanoseconds: 3_000_000_000))
        let result = try await run(options).result
        try await server.shutdown()
        #expect(server.requestCount == 600)
        #expect(result.requests.completed == 400)
    }

    @Test(
        arguments: [
            (TestServer.Behaviour.status(500), "5xx"), (.status(404), "4xx"), (.close, "read"), (.silent, "timeout"),
        ], ioPaths)
    func errorClasses(expected: (behaviour: TestServer.Behaviour, errorClass: String), directSockets: Bool) async throws
    {
        let (behaviour, errorClass) = expected
        let counted: KeyPath<LoadResult.ErrorCounts, Int> =
            switch errorClass {
            case "5xx": \.status5xx
            case "4xx": \.status4xx
            case "read": \.read
            default: \.timeout
            }
        let server = try TestServer()
        server.set(behaviour)
        var options = try options(server, rate: 50, seconds: 2)
        options.timeoutNanoseconds = 200_000_000
        options.directSockets = directSockets
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.errors[keyPath: counted] > 0)
        #expect(result.errors.total == result.errors[keyPath: counted], "\(result.errors)")
        #expect(result.errorRate > 0.9)
    }

    @Test func refusedConnectionsAreConnectErrors() async throws {
        let server = try TestServer()
        server.set(.close)
        // Seconds of traffic after the shutdown, so that reconnects meet the closed port however long the
        // shutdown takes on a busy machine (it once outlasted a 2 s run).
        let engine = LoadEngine(options: try options(server, rate: 100, seconds: 5))
        async let run = engine.run()
        try await Task.sleep(nanoseconds: 500_000_000)
        try await server.shutdown()
        let result = try await run.result
        #expect(result.errors.connect > 0)
    }

    @Test func unreachableTargetIsAUserError() async throws {
        let server = try TestServer()
        let options = try options(server, rate: 10, seconds: 1)
        try await server.shutdown()
        let error = await #expect(throws: UserError.self) { try await LoadEngine(options: options).run() }
        #expect(error?.message.contains("cannot connect to 127.0.0.1") == true)
        #expect(error?.message.contains("refused") == true)
    }

    @Test func newConnectionPerRequest() async throws {
        let server = try TestServer()
        var options = try options(server, rate: 100, seconds: 2)
        options.keepAlive = false
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.requests.completed == 200)
        #expect(result.errors.total == 0)
        // One probe connection before the run, then one per request.
        #expect(server.connectionCount == 201)
    }

    @Test func postSendsItsBody() async throws {
        let server = try TestServer()
        var options = try options(server, rate: nil, seconds: 1, connections: 2)
        options.requests[0].method = "POST"
        options.requests[0].body = Array(String(repeating: "x", count: 1000).utf8)
        let result = try await run(options).result
        try await server.shutdown()
        // The server echoes the body, so each response carries at least the 1000 bytes sent.
        #expect(result.requests.completed > 10)
        #expect(result.requests.bytesReceived >= result.requests.completed * 1000)
        #expect(result.errors.total == 0)
    }

    @Test func aMixIsSentInProportionToItsWeights() async throws {
        let server = try TestServer()
        var options = try options(server, rate: 400, seconds: 1)
        options.requests = [.init(path: "/a", weight: 3), .init(method: "HEAD", path: "/b", weight: 1)]
        #expect(options.requestCycle().sorted() == [0, 0, 0, 1])
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.requests.completed == 400 && result.errors.total == 0)
        #expect(result.target.method == "MIX")
        #expect(server.requestCount(path: "/a") == 300)
        #expect(server.requestCount(path: "/b") == 100)
    }

    @Test func chunkedResponsesComplete() async throws {
        let server = try TestServer()
        server.set(.chunked)
        let result = try await run(try options(server, rate: 100, seconds: 1)).result
        try await server.shutdown()
        #expect(result.requests.completed == 100 && result.errors.total == 0)
    }

    @Test func stopEndsTheRunEarlyAndKeepsWhatRan() async throws {
        let server = try TestServer()
        let engine = LoadEngine(options: try options(server, rate: 100, seconds: 30))
        async let run = engine.run()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        engine.stop()
        let result = try await run.result
        try await server.shutdown()
        #expect(result.interrupted)
        #expect(result.measuredSeconds > 1 && result.measuredSeconds < 3)
        #expect(result.requests.completed > 100 && result.requests.completed < 300)
    }

    /// Every request due in the measured window is sent or never sent; every one sent is answered, failed or
    /// left unanswered at the end.
    @Test(arguments: ioPaths)
    func everyRequestIsAccountedFor(directSockets: Bool) async throws {
        let server = try TestServer()
        var options = try options(server, rate: 200, seconds: 2)
        options.directSockets = directSockets
        let result = try await run(options).result
        try await server.shutdown()
        let requests = result.requests
        let due = try #require(requests.due)
        let attempted = try #require(requests.attempted)
        #expect(abs(due - 400) <= 2)
        #expect(abs(attempted + requests.unsent - due) <= 2)
        #expect(attempted == requests.completed + result.errors.failedAttempts + (requests.abandoned ?? 0))
        #expect(result.invalidity == nil)
    }

    /// A stack that fell so far behind in the warm-up that no request due in the window was sent completes
    /// nothing in the window while replies (to the warm-up backlog) arrive: the result says it is not a measurement.
    @Test(arguments: ioPaths)
    func aStackStillWorkingOffTheWarmupMeasuresNothing(directSockets: Bool) async throws {
        let server = try TestServer()
        server.set(delayMilliseconds: 50)
        var options = try options(server, rate: 400, seconds: 1, connections: 2)
        options.warmupNanoseconds = 1_000_000_000
        options.arrival = .openLoop(.constant(rate: 400, nanoseconds: 2_000_000_000))
        options.directSockets = directSockets
        let result = try await run(options).result
        try await server.shutdown()
        #expect(result.requests.completed == 0)
        #expect(result.errors.total == 0)
        #expect(result.requests.bytesReceived > 0)
        #expect((result.requests.earlierReplies ?? 0) > 0)
        #expect(abs(result.requests.unsent - 400) <= 2)
        let reason = try #require(result.invalid)
        #expect(reason.hasPrefix("nothing completed in the measured window"), "\(reason)")
        #expect(reason.contains("replies to requests due before it"), "\(reason)")
    }
}
