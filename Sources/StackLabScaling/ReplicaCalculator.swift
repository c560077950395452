import Foundation

/// What the HPA knows of one pod at a sync: its CPU request, the CPU the metrics API reports for it (nil when it
/// reports none), and whether the pod counts as unready for CPU (not ready, or too fresh a start).
public struct PodSample: Sendable, Equatable {
    /// Cores.
    public var request: Double
    /// Cores; nil for a pod the metrics API has no sample of yet.
    public var usage: Double?
    public var unready: Bool

    public init(request: Double, usage: Double?, unready: Bool = false) {
        self.request = request
        self.usage = usage
        self.unready = unready
    }
}

/// The replica count a CPU-utilization metric asks for, as kube-controller-manager's replica calculator
/// (`GetResourceReplicas`) computes it.
///
/// desired = ceil(ratio × ready pods), ratio = (Σ usage / Σ request) / target, with no change while |1 − ratio| is
/// within the tolerance. The conservative rules for pods without a usable sample: on a scale-up, unready pods and
/// pods without a sample count as using nothing; on a scale-down, unready pods are left out and pods without a
/// sample count as using their whole request (or the target, when it is above 100%); and a change those
/// assumptions would turn around, or bring within the tolerance, is no change.
public enum ReplicaCalculator {
    /// The desired replicas; `current` when no pod has a usable sample (upstream then reports an error and keeps
    /// the scale).
    public static func desiredReplicas(
        current: Int, pods: [PodSample], targetUtilization: Double, tolerance: Double = 0.1
    ) -> Int {
        let unready = pods.filter { $0.usage != nil && $0.unready }
        let missing = pods.filter { $0.usage == nil }
        let ready = pods.filter { $0.usage != nil && !$0.unready }
        guard !ready.isEmpty else { return current }
        let ratio = usageRatio(ready.map { ($0.usage!, $0.request) }, target: targetUtilization)
        let rebalanceUnready = !unready.isEmpty && ratio > 1
        if !rebalanceUnready && missing.isEmpty {
            if abs(1 - ratio) <= tolerance { return current }
            return Int((ratio * Double(ready.count)).rounded(.up))
        }
        var counted = ready.map { ($0.usage!, $0.request) }
        if ratio < 1 {
            let fallback = max(1, targetUtilization)
            counted += missing.map { ($0.request * fallback, $0.request) }
        } else if ratio > 1 {
            counted += missing.map { (0, $0.request) }
        }
        if rebalanceUnready { counted += unready.map { (0, $0.request) } }
        let newRatio = usageRatio(counted, target: targetUtilization)
        if abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
            return current
        }
        let proposed = Int((newRatio * Double(counted.count)).rounded(.up))
        // A count that moves the other way than the ratio says is no change either.
        if (newRatio < 1 && proposed > current) || (newRatio > 1 && proposed < current) { return current }
        return proposed
    }

    /// (Σ usage / Σ request) / target, in whole percent of the request as the metrics client computes it
    /// (`GetResourceUtilizationRatio`: millicores summed, the utilization truncated to an integer percent).
    static func usageRatio(_ samples: [(usage: Double, request: Double)], target: Double) -> Double {
        let requested = samples.reduce(Int64(0)) { $0 + millicores($1.request) }
        let targetPercent = (target * 100).rounded()
        guard requested > 0, targetPercent > 0 else { return 0 }
        let used = samples.reduce(Int64(0)) { $0 + millicores($1.usage) }
        return Double(used * 100 / requested) / targetPercent
    }

    static func millicores(_ cores: Double) -> Int64 { Int64((cores * 1_000).rounded()) }
}
