import Foundation
import Testing

@testable import StackLabCore

struct LoadResultTests {
    @Test func jsonRoundTripsAndCarriesTheSchema() throws {
        let result = LoadResult.fixture()
        let data = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(LoadResult.self, from: data)
        #expect(decoded == result)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "stacklab.load/1")
        let latency = try #require(object["latency"] as? [String: Any])
        #expect(Set(latency.keys).isSuperset(of: ["p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "max"]))
    }

    @Test func summaryOfAHistogram() {
        var histogram = LatencyHistogram.latency()
        for value in 1...1000 { histogram.recordNanoseconds(Int64(value) * 1_000) }
        let summary = LatencySummary(histogram)
        #expect(summary.count == 1000)
        #expect(abs(summary.p50 - 500) <= 1)
        #expect(abs(summary.p99 - 990) <= 1)
        #expect(summary.max == 1000)
    }

    @Test func emptyHistogramSummarisesToZeros() {
        #expect(LatencySummary(.latency()).p99 == 0)
    }
}

struct GeneratorCheckTests {
    func check(
        cpu: Double = 1, lagP99: Double = 50, established: Int = 10, achieved: Double = 1000,
        latencyP99: Double = 5_000,
        steal: Double? = nil
    ) -> GeneratorCheck {
        GeneratorCheck(
            cpuUserSeconds: cpu, cpuSystemSeconds: 0, completed: 10_000, wallSeconds: 10, threads: 1,
            peakRSSBytes: 0, sendLag: .init(p50: 10, p99: lagP99, max: lagP99), queuedForConnection: 0,
            connectionsRequested: 10, connectionsEstablished: established, targetRate: 1000, achievedRate: achieved,
            stealShare: steal, latencyP99Micros: latencyP99)
    }

    @Test func quietClientIsOK() {
        let result = check()
        #expect(result.verdict == "ok")
        #expect(result.causes == [])
        #expect(result.findings.isEmpty)
        #expect(result.cpuMicrosPerRequest == 100)
    }

    /// Send lag is judged against the latency it inflates: 3.1 ms of lag is noise beside a 300 ms p99 and most
    /// of a 5 ms one. (A fixed 1 ms limit flagged both.)
    @Test func sendLagCountsOnlyAgainstTheLatencyItInflates() {
        let slowStack = check(lagP99: 3_100, latencyP99: 300_000)
        #expect(slowStack.verdict == "ok")
        #expect(slowStack.sendLagLimitMicros == 30_000)
        let fastStack = check(lagP99: 3_100, latencyP99: 5_000)
        #expect(fastStack.verdict == "generator-bound")
        #expect(fastStack.causes == [.wakeUpDelay])
        #expect(
            fastStack.findings.first
                == "scheduler wake-up delay: send lag p99 3.10ms is 62% of the measured p99 5.00ms (limit 500µs), "
                + "with the client's CPU 10% busy; corrected latency includes it, so latency is overstated by up to "
                + "that much")
        #expect(fastStack.label == "generator-bound: wake-up delay")
    }

    @Test func subHundredMicrosecondJitterNeverFlags() {
        // A 300 µs p99 would put the 10% limit at 30 µs: the 100 µs floor keeps jitter out.
        #expect(check(lagP99: 95, latencyP99: 300).verdict == "ok")
        #expect(check(lagP99: 150, latencyP99: 300).causes == [.wakeUpDelay])
    }

    @Test func noSentenceSaysLateSendsUnderstateLatency() {
        let result = check(lagP99: 3_100, steal: 0.2)
        #expect(result.findings.allSatisfy { !$0.contains("understate") })
        #expect(result.findings.first?.contains("overstated") == true)
    }

    @Test func lateSendsWithStealAreTheHostsNotTheSchedulers() {
        let result = check(lagP99: 3_100, steal: 0.19)
        #expect(result.causes == [.hostSteal])
        #expect(
            result.findings.first?.hasPrefix("host steal: the hypervisor took 19% of the client's CPU time") == true)
    }

    @Test func saturatedCPUIsItsOwnCause() {
        let result = check(cpu: 9.8, lagP99: 3_100)
        #expect(result.verdict == "generator-bound")
        // The late sends follow from the busy CPU: one cause, not two.
        #expect(result.causes == [.clientCPU])
        #expect(result.findings.first?.hasPrefix("client CPU saturated: 98% of its 1 thread(s) busy") == true)
    }

    @Test func missingConnectionsAreAShortageAndAMissedRateANote() {
        let result = check(established: 7, achieved: 800)
        #expect(result.verdict == "generator-bound")
        #expect(result.causes == [.connectionShortage])
        #expect(
            result.findings.first
                == "connection shortage: only 7 of 10 connections were established, so the load ran on fewer than asked"
        )
        #expect(result.findings.contains { $0.hasPrefix("achieved 80.0% of the target rate") })
        #expect(check(achieved: 800).verdict == "ok")
        // Without keep-alive a connection opens only when a request needs one: fewer than asked is no shortage.
        let perRequest = GeneratorCheck(
            cpuUserSeconds: 1, cpuSystemSeconds: 0, completed: 3_000, wallSeconds: 10, threads: 1, peakRSSBytes: 0,
            sendLag: .init(p50: 10, p99: 50, max: 90), queuedForConnection: 0, connectionsRequested: 32,
            connectionsEstablished: 3, targetRate: 300, achievedRate: 300, latencyP99Micros: 2_000, keepAlive: false)
        #expect(perRequest.verdict == "ok" && perRequest.findings.isEmpty)
    }

    /// A result stored before causes were told apart still decodes, with no causes.
    @Test func olderResultsDecodeWithoutCauses() throws {
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(check(lagP99: 3_100))) as! [String: Any]
        json["causes"] = nil
        json["sendLagLimitMicros"] = nil
        let old = try JSONDecoder().decode(GeneratorCheck.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.causes == nil && old.verdict == "generator-bound")
        #expect(old.label == "generator-bound")
    }
}

struct StealTests {
    @Test func stealWithoutLateSendsIsANoteNotACause() {
        let check = GeneratorCheck(
            cpuUserSeconds: 1, cpuSystemSeconds: 0, completed: 10_000, wallSeconds: 10, threads: 1, peakRSSBytes: 0,
            sendLag: .init(p50: 10, p99: 50, max: 90), queuedForConnection: 0, connectionsRequested: 10,
            connectionsEstablished: 10, targetRate: 1000, achievedRate: 1000, stealShare: 0.19,
            latencyP99Micros: 2_000)
        #expect(check.verdict == "ok")
        #expect(check.findings.contains { $0.hasPrefix("the host took 19% of the client's CPU time (steal)") })
        let quiet = GeneratorCheck(
            cpuUserSeconds: 1, cpuSystemSeconds: 0, completed: 10_000, wallSeconds: 10, threads: 1, peakRSSBytes: 0,
            sendLag: .init(p50: 10, p99: 50, max: 90), queuedForConnection: 0, connectionsRequested: 10,
            connectionsEstablished: 10, targetRate: 1000, achievedRate: 1000, stealShare: 0.01)
        #expect(quiet.findings.isEmpty)
    }
}

/// Whether a result is a measurement at all.
@Suite struct LoadResultValidityTests {
    @Test func aResultThatServedRequestsIsValid() {
        var result = LoadResult.fixture()
        result.requests = .init(
            completed: 9_900, unsent: 100, bytesSent: 1, bytesReceived: 1, due: 10_000, attempted: 9_900, abandoned: 0)
        #expect(result.invalidity == nil)
    }

    @Test func nothingCompletedIsInvalidWithTheReason() {
        var result = LoadResult.fixture()
        result.requests = .init(
            completed: 0, unsent: 2_000, bytesSent: 0, bytesReceived: 82_642, due: 2_000, attempted: 0, abandoned: 0,
            earlierReplies: 365)
        let reason = result.invalidity ?? ""
        #expect(reason.hasPrefix("nothing completed in the measured window (2,000 due, 0 sent, 2,000 never sent"))
        #expect(reason.contains("82,642 bytes received were 365 replies to requests due before it"))
    }

    @Test func resultsStoredBeforeTheCountsExistedAreCheckedToo() throws {
        var result = LoadResult.fixture()
        result.requests = .init(completed: 0, unsent: 0, bytesSent: 0, bytesReceived: 500)
        let old = try JSONDecoder().decode(LoadResult.self, from: try JSONEncoder().encode(result))
        #expect(old.requests.due == nil && old.invalid == nil)
        #expect(old.invalidity == "nothing completed in the measured window although 500 bytes were received")
    }

    @Test func requestsSentButNeitherAnsweredNorFailedAreInvalid() {
        var result = LoadResult.fixture()
        result.requests = .init(
            completed: 9_000, unsent: 0, bytesSent: 1, bytesReceived: 1, due: 10_000, attempted: 10_000, abandoned: 0)
        #expect(result.invalidity?.hasPrefix("1,000 of 10,000 requests sent") == true)
        result.errors.timeout = 1_000
        #expect(result.invalidity == nil)
    }

    @Test func aScheduleThatDoesNotAddUpIsInvalid() {
        var result = LoadResult.fixture()
        result.requests = .init(
            completed: 5_000, unsent: 0, bytesSent: 1, bytesReceived: 1, due: 10_000, attempted: 5_000, abandoned: 0)
        #expect(result.invalidity?.hasPrefix("the schedule made 10,000 requests due") == true)
    }

    @Test func interruptedBeforeTheWindowIsNotAMeasurement() {
        var result = LoadResult.fixture()
        result.measuredSeconds = 0
        #expect(result.invalidity == "interrupted before the measured window: nothing was measured")
    }
}
