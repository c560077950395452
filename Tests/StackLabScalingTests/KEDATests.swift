import Testing

@testable import StackLabScaling

/// KEDA's documented behaviour on a rate trigger: activation from 0 at a polling interval, the HPA from 1 up,
/// and back to 0 one cooldown period after the last active poll.
struct KEDATests {
    /// Nothing for 2 min, 500/s until 10 min, nothing after; 250/s a replica, 30 s start-up.
    static func run(minReplicaCount: Int = 0) -> SimulationResult {
        ScalingSimulation(
            trace: TrafficTrace(
                name: "burst", length: 1_200, points: [(0, 0), (120, 0), (120, 500), (600, 500), (600, 0)]),
            curve: ScalingSimulationTests.curve, cpuRequest: 1, startupSeconds: 30
        ).keda(KEDASpec(threshold: 250, minReplicaCount: minReplicaCount))
    }

    /// The poll at 150 s sees 250/s over the last minute and wakes the Deployment; the HPA's sync at 165 s sees
    /// 375/s and asks for 2. Requests wait 60 s for a ready pod (one minute over the SLO). The last active poll is
    /// at 630 s (the minute still holds 30 s of load), so the cooldown of 300 s ends at the poll at 930 s.
    @Test func activationHPAAndCooldown() {
        let result = Self.run()
        #expect(result.minutes[1].replicas == 0)
        #expect(result.minutes[2].replicas == 2 && result.maxReplicas == 2)
        #expect(result.scaleUpLatencies == [60])
        #expect(result.violationMinutes == 1 && result.minutes[2].violation)
        #expect(result.minutes[14].replicas == 2)
        #expect(result.minutes[15].replicas == 0 && result.minReplicas == 0)
    }

    /// With minReplicaCount 1 the Deployment never sleeps: the HPA's own minimum holds it at 1.
    @Test func minReplicaCountOneNeverScalesToZero() {
        let result = Self.run(minReplicaCount: 1)
        #expect(result.minReplicas == 1)
        #expect(result.minutes.last!.replicas == 1)
        #expect(result.violationMinutes == 0)
    }
}
