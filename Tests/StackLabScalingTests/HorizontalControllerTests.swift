import Testing

@testable import StackLabScaling

/// The controller's stabilization, policies and bounds, against the HPA documentation's rules and the cases of
/// kube-controller-manager's `horizontal_test.go`.
struct HorizontalControllerTests {
    static func controller(
        min: Int = 1, max: Int = 100, up: HPAScalingRules = .defaultScaleUp, down: HPAScalingRules = .defaultScaleDown
    ) -> HorizontalController {
        HorizontalController(
            spec: HPASpec(minReplicas: min, maxReplicas: max, targetUtilization: 0.5, scaleUp: up, scaleDown: down))
    }

    /// Default scale-up: the larger of 100% and 4 pods per 15 s; from 1 that is 5, from 10 it is 20.
    @Test func defaultScaleUpAllowsTheLargerOfDoublingAndFourPods() {
        var small = Self.controller()
        #expect(small.reconcile(now: 0, current: 1, metricDesired: 50) == 5)
        var large = Self.controller()
        #expect(large.reconcile(now: 0, current: 10, metricDesired: 50) == 20)
    }

    /// A policy's period counts from the replicas at its start: a second scale-up within 15 s gets nothing more,
    /// the next period doubles again.
    @Test func scaleUpWithinAPeriodCountsFromItsStart() {
        var hpa = Self.controller()
        #expect(hpa.reconcile(now: 0, current: 10, metricDesired: 50) == 20)
        #expect(hpa.reconcile(now: 10, current: 20, metricDesired: 50) == 20)
        #expect(hpa.reconcile(now: 15, current: 20, metricDesired: 50) == 40)
    }

    /// selectPolicy Min picks the smaller change; Disabled none.
    @Test func selectPolicyMinAndDisabled() {
        let policies: [HPAScalingPolicy] = [.init(.percent, 100, perSeconds: 15), .init(.pods, 4, perSeconds: 15)]
        var least = Self.controller(up: .init(stabilizationWindowSeconds: 0, selectPolicy: .min, policies: policies))
        #expect(least.reconcile(now: 0, current: 10, metricDesired: 50) == 14)
        var none = Self.controller(
            up: .init(stabilizationWindowSeconds: 0, selectPolicy: .disabled, policies: policies))
        #expect(none.reconcile(now: 0, current: 10, metricDesired: 50) == 10)
    }

    /// The documentation's scale-down example: 4 pods or 10% per 60 s, Max: from 80 replicas 10% (8) wins, from 30
    /// the 4 pods do.
    @Test func documentedScaleDownPolicies() {
        let rules = HPAScalingRules(
            stabilizationWindowSeconds: 0,
            policies: [.init(.pods, 4, perSeconds: 60), .init(.percent, 10, perSeconds: 60)])
        var many = Self.controller(down: rules)
        #expect(many.reconcile(now: 0, current: 80, metricDesired: 1) == 72)
        var few = Self.controller(down: rules)
        #expect(few.reconcile(now: 0, current: 30, metricDesired: 1) == 26)
        // Within the same minute nothing more goes; the next minute counts from 72.
        #expect(many.reconcile(now: 30, current: 72, metricDesired: 1) == 72)
        #expect(many.reconcile(now: 60, current: 72, metricDesired: 1) == 64)
    }

    /// Scale-down stabilization (default 300 s): the highest recommendation of the window holds, so the count
    /// falls only once the high recommendations are older than 300 s.
    @Test func scaleDownWaitsForTheWindow() {
        var hpa = Self.controller()
        #expect(hpa.reconcile(now: 0, current: 8, metricDesired: 8) == 8)
        #expect(hpa.reconcile(now: 15, current: 8, metricDesired: 4) == 8)
        #expect(hpa.reconcile(now: 285, current: 8, metricDesired: 4) == 8)
        #expect(hpa.reconcile(now: 300, current: 8, metricDesired: 4) == 4)
    }

    /// Scale-up stabilization takes the lowest recommendation of its window.
    @Test func scaleUpStabilizationTakesTheLowest() {
        var hpa = Self.controller(
            up: .init(stabilizationWindowSeconds: 60, policies: HPAScalingRules.defaultScaleUp.policies))
        #expect(hpa.reconcile(now: 0, current: 4, metricDesired: 4) == 4)
        #expect(hpa.reconcile(now: 15, current: 4, metricDesired: 8) == 4)
        #expect(hpa.reconcile(now: 60, current: 4, metricDesired: 8) == 8)
    }

    /// min and max bound every answer; a count outside them is brought back first.
    @Test func minAndMaxReplicas() {
        var hpa = Self.controller(min: 2, max: 6)
        #expect(hpa.reconcile(now: 0, current: 4, metricDesired: 50) == 6)
        var low = Self.controller(
            min: 2, max: 6, down: .init(stabilizationWindowSeconds: 0, policies: [.init(.percent, 100, perSeconds: 15)])
        )
        #expect(low.reconcile(now: 0, current: 4, metricDesired: 0) == 2)
        var outside = Self.controller(min: 2, max: 6)
        #expect(outside.reconcile(now: 0, current: 9, metricDesired: 9) == 6)
        #expect(outside.reconcile(now: 0, current: 1, metricDesired: 1) == 2)
    }
}
