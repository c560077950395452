/// A KEDA ScaledObject with one trigger on the offered request rate (a Prometheus trigger on
/// `sum(rate(requests[1m]))`, metric type AverageValue), with KEDA's defaults.
///
/// KEDA itself moves a Deployment between 0 and 1 replica: at each polling interval the trigger is active when the
/// metric is above `activationThreshold`; an active trigger wakes a Deployment at 0, and one with no active poll
/// for `cooldownPeriodSeconds` goes back to `minReplicaCount` 0. Between 1 and the maximum the HPA KEDA creates
/// scales it: desired = ceil(metric / threshold), within the tolerance, stabilized and rate-limited as any HPA.
public struct KEDASpec: Sendable, Equatable {
    /// Requests/s per replica (the trigger's `threshold`).
    public var threshold: Double
    public var activationThreshold: Double
    public var minReplicaCount: Int
    public var maxReplicaCount: Int
    public var pollingIntervalSeconds: Int
    public var cooldownPeriodSeconds: Int
    /// The window the rate is measured over, seconds (`[1m]`).
    public var rateWindowSeconds: Int

    public init(
        threshold: Double, activationThreshold: Double = 0, minReplicaCount: Int = 0, maxReplicaCount: Int = 100,
        pollingIntervalSeconds: Int = 30, cooldownPeriodSeconds: Int = 300, rateWindowSeconds: Int = 60
    ) {
        self.threshold = threshold
        self.activationThreshold = activationThreshold
        self.minReplicaCount = minReplicaCount
        self.maxReplicaCount = maxReplicaCount
        self.pollingIntervalSeconds = pollingIntervalSeconds
        self.cooldownPeriodSeconds = cooldownPeriodSeconds
        self.rateWindowSeconds = rateWindowSeconds
    }
}

extension ScalingSimulation {
    /// The trace served by KEDA and the HPA it drives, starting where the first rate puts it.
    public func keda(_ keda: KEDASpec) -> SimulationResult {
        let hpa = HPASpec(
            minReplicas: max(1, keda.minReplicaCount), maxReplicas: keda.maxReplicaCount, targetUtilization: 1)
        let first = trace.rate(at: 0)
        let initial =
            first > keda.activationThreshold
            ? min(max(Int((first / keda.threshold).rounded(.up)), hpa.minReplicas), hpa.maxReplicas)
            : keda.minReplicaCount
        var controller = HorizontalController(spec: hpa)
        var lastActive: Int? = initial > 0 ? 0 : nil
        return run(initial: initial) { now, pods, _ in
            let metric = measuredRate(endingAt: now, window: keda.rateWindowSeconds)
            if now % keda.pollingIntervalSeconds == 0 {
                let active = metric > keda.activationThreshold
                if active { lastActive = now }
                if pods.isEmpty, active { return hpa.minReplicas }
                if !pods.isEmpty, !active, keda.minReplicaCount == 0,
                    now - (lastActive ?? now) >= keda.cooldownPeriodSeconds
                {
                    return 0
                }
            }
            guard !pods.isEmpty, now % hpa.syncPeriodSeconds == 0 else { return nil }
            // An external metric with AverageValue: no change within the tolerance, else ceil(metric / threshold).
            let ratio = metric / (keda.threshold * Double(pods.count))
            let desired = abs(1 - ratio) <= hpa.tolerance ? pods.count : Int((metric / keda.threshold).rounded(.up))
            return controller.reconcile(now: now, current: pods.count, metricDesired: desired)
        }
    }

    /// The mean offered rate over the `window` seconds before `now`, as a Prometheus `rate()` would see it.
    func measuredRate(endingAt now: Int, window: Int) -> Double {
        (now - window..<now).reduce(0.0) { $0 + trace.rate(at: Double($1)) } / Double(max(1, window))
    }
}
