import Testing

@testable import StackLabLoad

struct ArrivalScheduleTests {
    @Test func constantRateIsDueEveryOneOverN() {
        let schedule = ArrivalSchedule.constant(rate: 1000, nanoseconds: 2_000_000_000)
        var hint = 0
        #expect(schedule.requestCount == 2000)
        #expect(schedule.dueOffset(of: 0, stageHint: &hint) == 0)
        #expect(schedule.dueOffset(of: 1, stageHint: &hint) == 1_000_000)
        #expect(schedule.dueOffset(of: 1999, stageHint: &hint) == 1_999_000_000)
        #expect(schedule.dueOffset(of: 2000, stageHint: &hint) == nil)
    }

    @Test func rampFollowsTheIntegralOfTheRate() {
        // 0 → 1000/s over 10 s, then 1000/s for 10 s, then down to 0 over 10 s.
        let schedule = ArrivalSchedule.ramp([
            (10_000_000_000, 1000), (10_000_000_000, 1000), (10_000_000_000, 0),
        ])
        #expect(schedule.totalArrivals == 20_000)
        #expect(schedule.requestsDue(before: 5_000_000_000) == 1250)
        #expect(schedule.requestsDue(before: 15_000_000_000) == 10_000)
        var hint = 0
        // Request 1250 is due 5 s in (rate 100·t reaches 1250 arrivals at t = 5).
        let due = schedule.dueOffset(of: 1250, stageHint: &hint)!
        #expect(abs(due - 5_000_000_000) < 1_000)
        // Every due time lies where the cumulative count says it should, and they only increase.
        var previous: Int64 = -1
        for index in stride(from: 0, to: 20_000, by: 7) {
            let offset = schedule.dueOffset(of: index, stageHint: &hint)!
            #expect(offset >= previous)
            #expect(abs(schedule.arrivals(at: offset) - Double(index)) < 0.01)
            previous = offset
        }
    }

    @Test func stagesAtZeroRateSendNothing() {
        let schedule = ArrivalSchedule.ramp(
            [(1_000_000_000, 0), (1_000_000_000, 0), (1_000_000_000, 100)], initialRate: 0)
        var hint = 0
        let first = schedule.dueOffset(of: 0, stageHint: &hint)!
        #expect(first >= 2_000_000_000)
        #expect(schedule.requestCount == 50)
    }
}

struct TargetURLTests {
    @Test func takesAURLApart() throws {
        let url = try TargetURL(parsing: "http://127.0.0.1:8080/json?x=1")
        #expect(url.host == "127.0.0.1" && url.port == 8080 && url.pathAndQuery == "/json?x=1" && !url.tls)
        #expect(url.hostHeader == "127.0.0.1:8080" && url.hostIsAddress)
        let secure = try TargetURL(parsing: "https://localhost")
        #expect(
            secure.port == 443 && secure.pathAndQuery == "/" && secure.hostHeader == "localhost"
                && !secure.hostIsAddress)
        let v6 = try TargetURL(parsing: "http://[::1]:9000/")
        #expect(v6.host == "::1" && v6.hostHeader == "[::1]:9000")
    }

    @Test(arguments: ["127.0.0.1:8080", "ftp://host/", "http://", "not a url", "http://host:99999/"])
    func rejectsWhatIsNotAnHTTPURL(text: String) {
        #expect(throws: (any Error).self) { try TargetURL(parsing: text) }
    }
}
