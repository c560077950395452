/// One HPA's controller loop as kube-controller-manager runs it: the metric's recommendation, stabilized over the
/// windows, limited by the scaling policies, clamped to min and max.
///
/// It keeps what the upstream controller keeps between syncs: the recommendations of the longest stabilization
/// window and the scale events of the longest policy period. Times are seconds from any origin.
public struct HorizontalController: Sendable {
    public var spec: HPASpec
    private(set) var recommendations: [(time: Int, replicas: Int)] = []
    private(set) var scaleUpEvents: [(time: Int, change: Int)] = []
    private(set) var scaleDownEvents: [(time: Int, change: Int)] = []

    public init(spec: HPASpec) {
        self.spec = spec
    }

    /// The replicas after a sync at `now`, given the replicas the scale target has (`current`) and what the metric
    /// asks for (`metricDesired`, from ``ReplicaCalculator``; nil when no metric could be read).
    public mutating func reconcile(now: Int, current: Int, metricDesired: Int?) -> Int {
        let desired: Int
        if current > spec.maxReplicas {
            desired = spec.maxReplicas
        } else if current < spec.minReplicas {
            desired = spec.minReplicas
        } else if current == 0 {
            // Scaled to zero by hand: the HPA leaves the target alone.
            return 0
        } else if let metricDesired {
            desired = normalized(now: now, current: current, proposed: metricDesired)
        } else {
            return current
        }
        if desired > current {
            scaleUpEvents.append((now, desired - current))
        } else if desired < current {
            scaleDownEvents.append((now, current - desired))
        }
        forgetOld(now: now)
        return desired
    }

    /// Stabilization, then the policies' rate limits, then min and max (`normalizeDesiredReplicasWithBehaviors`).
    mutating func normalized(now: Int, current: Int, proposed: Int) -> Int {
        let stabilized = stabilize(now: now, current: current, proposed: proposed)
        return limitRate(now: now, current: current, desired: stabilized)
    }

    /// The recommendation held within the windows: at least the lowest recommendation of the scale-up window, at
    /// most the highest of the scale-down window, and the current count when it lies between them.
    mutating func stabilize(now: Int, current: Int, proposed: Int) -> Int {
        let upCutoff = now - spec.scaleUp.stabilizationWindowSeconds
        let downCutoff = now - spec.scaleDown.stabilizationWindowSeconds
        var up = proposed
        var down = proposed
        for recommendation in recommendations {
            if recommendation.time > upCutoff { up = min(up, recommendation.replicas) }
            if recommendation.time > downCutoff { down = max(down, recommendation.replicas) }
        }
        recommendations.append((now, proposed))
        return min(max(current, up), down)
    }

    /// The desired count within what the policies of its direction allow, and within min and max
    /// (`convertDesiredReplicasWithBehaviorRate`).
    func limitRate(now: Int, current: Int, desired: Int) -> Int {
        if desired > current {
            let limit = max(scaleUpLimit(now: now, current: current), current)
            return min(desired, spec.maxReplicas, limit)
        }
        if desired < current {
            let limit = min(scaleDownLimit(now: now, current: current), current)
            return max(desired, spec.minReplicas, limit)
        }
        return min(max(desired, spec.minReplicas), spec.maxReplicas)
    }

    /// The most replicas the scale-up policies allow now, counted from the replicas at the start of each period.
    func scaleUpLimit(now: Int, current: Int) -> Int {
        policyLimit(spec.scaleUp, now: now, current: current, sign: 1)
    }

    /// The fewest replicas the scale-down policies allow now.
    func scaleDownLimit(now: Int, current: Int) -> Int {
        policyLimit(spec.scaleDown, now: now, current: current, sign: -1)
    }

    /// What `rules` allow in the direction of `sign` (1 up, −1 down): a percentage rounds up on the way up and is
    /// truncated on the way down, as upstream's limits do; Max picks the largest change, Min the smallest.
    private func policyLimit(_ rules: HPAScalingRules, now: Int, current: Int, sign: Int) -> Int {
        if rules.selectPolicy == .disabled { return current }
        let proposals = rules.policies.map { policy -> Int in
            let start = periodStart(now: now, current: current, period: policy.periodSeconds)
            switch policy.kind {
            case .pods: return start + sign * policy.value
            case .percent:
                let scaled = Double(start) * (1 + Double(sign * policy.value) / 100)
                return Int(sign > 0 ? scaled.rounded(.up) : scaled)
            }
        }
        let changes = proposals.map { ($0 - current) * sign }
        let chosen = rules.selectPolicy == .min ? changes.min() : changes.max()
        return chosen.map { current + $0 * sign } ?? current
    }

    /// The replicas at the start of the last `period` seconds: now's count less what was added, plus what was
    /// removed, within it.
    func periodStart(now: Int, current: Int, period: Int) -> Int {
        let added = scaleUpEvents.filter { $0.time > now - period }.reduce(0) { $0 + $1.change }
        let removed = scaleDownEvents.filter { $0.time > now - period }.reduce(0) { $0 + $1.change }
        return current - added + removed
    }

    private mutating func forgetOld(now: Int) {
        let window = max(spec.scaleUp.stabilizationWindowSeconds, spec.scaleDown.stabilizationWindowSeconds)
        recommendations.removeAll { $0.time <= now - window - 1 }
        let period = (spec.scaleUp.policies + spec.scaleDown.policies).map(\.periodSeconds).max() ?? 0
        scaleUpEvents.removeAll { $0.time <= now - period }
        scaleDownEvents.removeAll { $0.time <= now - period }
    }
}
