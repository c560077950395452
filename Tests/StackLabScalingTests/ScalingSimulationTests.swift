import Testing

@testable import StackLabScaling

/// Simulations whose answer follows by hand from the controller's rules.
struct ScalingSimulationTests {
    /// One replica: 1 core per 1,000/s, p99 rising past the 10 ms SLO above 750/s.
    static let curve = ReplicaCurve(
        points: [
            .init(rate: 250, p99: 1_000, cores: 0.25), .init(rate: 500, p99: 2_000, cores: 0.5),
            .init(rate: 750, p99: 5_000, cores: 0.75), .init(rate: 1_000, p99: 20_000, cores: 1),
        ], capacity: 750, p99Limit: 10_000)

    static let spec = HPASpec(minReplicas: 1, maxReplicas: 20, targetUtilization: 0.5)

    static func simulation(_ points: [(second: Double, rate: Double)], length: Int, startup: Int) -> ScalingSimulation {
        ScalingSimulation(
            trace: TrafficTrace(name: "test", length: length, points: points), curve: curve, cpuRequest: 1,
            startupSeconds: startup)
    }

    /// 2,000/s held by 4 pods at 50%; at 600 s the load doubles. The sync at 600 still reads the window before the
    /// step, the sync at 615 reads 100% and asks for 8 (the default policies allow 4 more), and the new pods are
    /// ready one start-up later. While they start, the HPA counts them as using nothing and does not overshoot.
    @Test(arguments: [30, 90]) func stepDoublingDoublesReplicasAfterOneSyncAndTheStartUp(startup: Int) {
        let result = Self.simulation([(0, 2_000), (600, 2_000), (600, 4_000)], length: 1_200, startup: startup)
            .autoscaled(Self.spec)
        #expect(result.minutes[9].replicas == 4)
        #expect(result.minutes[10].replicas == 8)
        #expect(result.maxReplicas == 8)
        #expect(result.scaleUpLatencies == [15 + startup] && result.unansweredOverloads == 0)
        #expect(result.minutes[10].violation)
        #expect(result.violationMinutes == (startup == 30 ? 1 : 2))
        #expect(result.minutes[11].starting == 0)
        #expect(result.minutes.last!.p99 == 2_000)
    }

    /// The metric's age delays the reaction: read 15 s late, the first window after the step reaches the HPA at
    /// the sync at 630 s; sampled over 60 s windows, the first window wholly after the step ends at 660 s.
    @Test(arguments: [(15, 0, 45), (15, 15, 60), (60, 0, 90)])
    func metricResolutionAndDelay(resolution: Int, delay: Int, latency: Int) {
        let trace = TrafficTrace(name: "step", length: 1_200, points: [(0, 2_000), (600, 2_000), (600, 4_000)])
        let result = ScalingSimulation(
            trace: trace, curve: Self.curve, cpuRequest: 1, startupSeconds: 30, metricResolutionSeconds: resolution,
            metricDelaySeconds: delay
        ).autoscaled(Self.spec)
        #expect(result.scaleUpLatencies == [latency])
        #expect(result.maxReplicas == 8)
    }

    /// The load halves at 600 s: the HPA recommends 4 from the sync at 615 on, but the 300 s scale-down window
    /// holds the 8 recommended at 600 s until the sync at 900 s.
    @Test func scaleDownWaitsForTheStabilizationWindow() {
        let result = Self.simulation([(0, 4_000), (600, 4_000), (600, 2_000)], length: 1_500, startup: 30)
            .autoscaled(Self.spec)
        #expect(result.minutes[0].replicas == 8)
        #expect(result.minutes[14].replicas == 8)
        #expect(result.minutes[15].replicas == 4)
        #expect(result.violationMinutes == 0)
    }

    /// Static provisioning never scales, and a fixed count too small for the peak is over the SLO for as long as
    /// the peak lasts, with p99 unknown beyond the measured curve.
    @Test func fixedReplicas() {
        let simulation = Self.simulation([(0, 2_000), (600, 2_000), (600, 4_000)], length: 1_200, startup: 30)
        let enough = simulation.fixed(6)
        #expect(enough.minReplicas == 6 && enough.maxReplicas == 6)
        #expect(enough.violationMinutes == 0 && enough.scaleUpLatencies.isEmpty)
        let short = simulation.fixed(3)
        #expect(short.violationMinutes == 10)
        #expect(short.minutes.last!.p99 == nil)
        // Nothing ever starts: the overload is never answered.
        #expect(short.scaleUpLatencies.isEmpty && short.unansweredOverloads == 1)
    }

    /// Requested CPU is what the pods reserve, used CPU what the curve says they burn: 6 pods of 1 core for 2,000/s
    /// then 4,000/s use 2 then 4 cores, so 3 core-hours of the 6 × 1,200 s requested are used.
    @Test func wasteIsRequestedLessUsed() {
        let result = Self.simulation([(0, 2_000), (600, 2_000), (600, 4_000)], length: 1_200, startup: 30).fixed(6)
        #expect(abs(result.requestedCoreSeconds - 7_200) < 1e-6)
        #expect(abs(result.usedCoreSeconds - 3_600) < 1e-6)
        #expect(abs(result.wastedCoreHours - 1) < 1e-9)
    }
}
