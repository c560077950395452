import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabScaling

/// A replica's profile read from a stored run: the curve of its trials, its capacity, requests and cold start.
struct ReplicaProfileTests {
    @Test func profileOfASweep() throws {
        let profile = try ReplicaProfile(run: try RunRecordFixture.sweep(coldStart: 2.4), variant: nil)
        #expect(profile.variant == "direct")
        #expect(profile.components == ["app"])
        #expect(profile.curve.points.map(\.rate) == [250, 500, 1_000])
        #expect(profile.curve.points.map(\.cores) == [0.25, 0.5, 1])
        #expect(profile.curve.capacity == 500 && !profile.curve.capacityIsLowerBound)
        #expect(profile.curve.p99Limit == 20_000)
        #expect(profile.cpuRequest == 1 && profile.memoryRequest == 512 * 1_048_576)
        #expect(profile.coldStartSeconds == 2.4)
    }

    @Test func aSweepThatNeverFailedIsALowerBound() throws {
        var run = try RunRecordFixture.sweep()
        run.trials.removeLast()
        let profile = try ReplicaProfile(run: run, variant: "direct")
        #expect(profile.curve.capacity == 500 && profile.curve.capacityIsLowerBound)
    }

    @Test func unusableRunsSayWhy() throws {
        let run = try RunRecordFixture.sweep()
        #expect(throws: UserError("run 20261202-120000-sweep has no variant 'nope'; its variants: direct, nginx")) {
            try ReplicaProfile(run: run, variant: "nope")
        }
        #expect(throws: UserError.self) { try ReplicaProfile(run: run, variant: "nginx") }
        var failing = run
        failing.trials.removeFirst(2)
        #expect(
            throws: UserError(
                "variant 'direct' failed the SLO at its lowest rate (1000/s tried): no capacity to plan with")
        ) { try ReplicaProfile(run: failing, variant: nil) }
    }
}
