import Testing

@testable import StackLabCore

struct ThresholdTests {
    @Test func latencyWithUnits() throws {
        let threshold = try Threshold(parsing: "p99<50ms")
        #expect(threshold.metric == .latency("p99", service: false))
        #expect(threshold.limit == .value(50_000))
        #expect(try threshold.evaluate(.fixture(p99: 12_000)).passed)
        #expect(try !threshold.evaluate(.fixture(p99: 60_000)).passed)
    }

    @Test func bareLatencyNumberMeansMilliseconds() throws {
        #expect(try Threshold(parsing: "p95 < 20").limit == .value(20_000))
    }

    @Test func serviceTimePercentile() throws {
        #expect(try Threshold(parsing: "service_p99<=1s").metric == .latency("p99", service: true))
    }

    @Test func errorRateInPercent() throws {
        let threshold = try Threshold(parsing: "error_rate<0.1%")
        #expect(threshold.limit == .value(0.001))
        #expect(try threshold.evaluate(.fixture(errors: 0)).passed)
        #expect(try !threshold.evaluate(.fixture(errors: 100)).passed)
    }

    @Test func rateAgainstTarget() throws {
        let threshold = try Threshold(parsing: "rate>=0.95*target")
        #expect(threshold.limit == .targetRate(factor: 0.95))
        let outcome = try threshold.evaluate(.fixture(achievedRate: 990))
        #expect(outcome.passed && outcome.limit == 950)
        #expect(try !threshold.evaluate(.fixture(achievedRate: 900)).passed)
    }

    @Test func targetOfAClosedLoopRunIsAnError() throws {
        var result = LoadResult.fixture()
        result.arrival = .init(model: "closed", targetRate: nil, stages: nil)
        #expect(throws: UserError.self) { try Threshold(parsing: "rate>=target").evaluate(result) }
    }

    @Test(arguments: ["p99", "p99<", "latency<5ms", "error_rate<lots", "rate>=fast", "p99<5parsecs"])
    func malformed(text: String) {
        #expect(throws: UserError.self) { try Threshold(parsing: text) }
    }
}
