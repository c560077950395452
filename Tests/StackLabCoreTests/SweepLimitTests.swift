import Testing

@testable import StackLabCore

/// Capacity from a rate sweep: the highest rate below which every tried rate met the SLO.
struct SweepLimitTests {
    static func sweep(_ passes: [(Double, Bool)]) -> [TrialMeasurement] {
        let app = ComponentMeasurement(
            name: "app", kind: "app", usage: CostModelTests.usage(cpuSeconds: 30, gibSeconds: 1))
        return passes.flatMap { rate, passed in
            (1...2).map { repeatIndex in
                CostModelTests.trial(
                    repeatIndex: repeatIndex, rate: rate, p99: passed ? 5_000 : 90_000, sloPasses: passed,
                    components: [app])
            }
        }
    }

    /// nginx in the issue: 1,000/s failed, 2,000/s passed. The pass above a failure is no capacity.
    @Test func aPassAboveAFailureIsNoCapacity() throws {
        let trials = Self.sweep([(1_000, false), (2_000, true), (4_000, false)])
        let limit = try #require(SweepLimit(trials))
        #expect(limit.highestRateWithinSLO == nil)
        #expect(limit.lowestFailure == 1_000)
        #expect(TrialMeasurement.highestRateWithinSLO(trials) == nil)
        #expect(
            CapacityCost(
                variant: "nginx", trials: trials, requests: [:], catalog: CostModelTests.opencost, options: .init())
                == nil)
    }

    @Test func theLimitStopsAtTheFirstFailure() throws {
        let limit = try #require(SweepLimit(Self.sweep([(500, true), (1_000, true), (2_000, false), (4_000, true)])))
        #expect(limit.highestRateWithinSLO == 1_000)
        #expect(limit.lowestFailure == 2_000)
        #expect(!limit.isLowerBound)
    }

    /// Every rate passed: the top of the sweep is a lower bound on capacity, so the plan's replicas and cost are
    /// upper bounds.
    @Test func aSweepWhoseTopPassedFoundNoLimit() throws {
        let trials = Self.sweep([(1_000, true), (2_000, true), (4_000, true)])
        let limit = try #require(SweepLimit(trials))
        #expect(limit.highestRateWithinSLO == 4_000 && limit.isLowerBound)
        let capacity = try #require(
            CapacityCost(
                variant: "direct", trials: trials, requests: [:], catalog: CostModelTests.opencost, options: .init()))
        #expect(capacity.isUpperBound)
        let bounded = try #require(
            CapacityCost(
                variant: "direct", trials: Self.sweep([(1_000, true), (2_000, false)]), requests: [:],
                catalog: CostModelTests.opencost, options: .init()))
        #expect(!bounded.isUpperBound)
    }

    @Test func noSLONoLimit() {
        let app = ComponentMeasurement(
            name: "app", kind: "app", usage: CostModelTests.usage(cpuSeconds: 30, gibSeconds: 1))
        #expect(SweepLimit([CostModelTests.trial(rate: 1_000, components: [app])]) == nil)
    }
}
