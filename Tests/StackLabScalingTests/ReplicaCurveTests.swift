import Testing

@testable import StackLabScaling

/// The measured curve: linear between measured rates, never invented beyond them.
struct ReplicaCurveTests {
    let curve = ReplicaCurve(
        points: [.init(rate: 1_000, p99: 4_000, cores: 0.8), .init(rate: 500, p99: 2_000, cores: 0.4)],
        capacity: 1_000, p99Limit: 5_000, cpuLimit: 1)

    @Test func interpolatesBetweenMeasuredRates() {
        #expect(curve.p99(at: 750) == 3_000)
        #expect(abs(curve.cores(at: 750) - 0.6) < 1e-12)
        #expect(curve.withinSLO(at: 750))
    }

    @Test func belowTheLowestRateLatencyHoldsAndCPUFalls() {
        #expect(curve.p99(at: 100) == 2_000)
        #expect(abs(curve.cores(at: 250) - 0.2) < 1e-12)
        #expect(curve.cores(at: 0) == 0)
    }

    @Test func beyondTheHighestRateLatencyIsUnknown() {
        #expect(curve.p99(at: 1_001) == nil)
        #expect(!curve.withinSLO(at: 1_001))
        // CPU goes on in proportion, up to the 1-core limit.
        #expect(abs(curve.cores(at: 1_100) - 0.88) < 1e-12)
        #expect(curve.cores(at: 2_000) == 1)
    }
}
