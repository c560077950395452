/// One rate limit of an HPA's scaling: at most `value` pods, or `value` percent of the replicas at the start of
/// the period, added (or removed) within any `periodSeconds`.
public struct HPAScalingPolicy: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case pods
        case percent
    }

    public var kind: Kind
    public var value: Int
    public var periodSeconds: Int

    public init(_ kind: Kind, _ value: Int, perSeconds periodSeconds: Int) {
        self.kind = kind
        self.value = value
        self.periodSeconds = periodSeconds
    }
}

/// `behavior.scaleUp` or `behavior.scaleDown` of an `autoscaling/v2` HorizontalPodAutoscaler.
public struct HPAScalingRules: Sendable, Equatable {
    /// Which policy wins when several allow different changes: `Max` (the default) the largest change, `Min` the
    /// smallest, `Disabled` none at all in this direction.
    public enum SelectPolicy: String, Sendable, Equatable {
        case max = "Max"
        case min = "Min"
        case disabled = "Disabled"
    }

    public var stabilizationWindowSeconds: Int
    public var selectPolicy: SelectPolicy
    public var policies: [HPAScalingPolicy]

    public init(stabilizationWindowSeconds: Int, selectPolicy: SelectPolicy = .max, policies: [HPAScalingPolicy]) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
    }

    /// The API server's default for scale-up: no stabilization, the larger of 100% or 4 pods every 15 s.
    public static let defaultScaleUp = HPAScalingRules(
        stabilizationWindowSeconds: 0,
        policies: [.init(.percent, 100, perSeconds: 15), .init(.pods, 4, perSeconds: 15)])

    /// The API server's default for scale-down: the highest recommendation of the last 300 s, 100% every 15 s.
    public static let defaultScaleDown = HPAScalingRules(
        stabilizationWindowSeconds: 300, policies: [.init(.percent, 100, perSeconds: 15)])
}

/// What an HPA scales on and how fast: the fields of an `autoscaling/v2` HPA the simulation honours, with the
/// defaults the API server and kube-controller-manager use.
public struct HPASpec: Sendable, Equatable {
    public var minReplicas: Int
    public var maxReplicas: Int
    /// The CPU utilization to hold, a share of the pods' CPU request (0.7 for `averageUtilization: 70`).
    public var targetUtilization: Double
    public var scaleUp: HPAScalingRules
    public var scaleDown: HPAScalingRules
    /// `--horizontal-pod-autoscaler-tolerance`: no change while |1 − ratio| is at most this.
    public var tolerance: Double
    /// `--horizontal-pod-autoscaler-sync-period`, seconds.
    public var syncPeriodSeconds: Int
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, seconds: a pod this young counts only once it is
    /// ready and one metric window has passed since.
    public var cpuInitializationPeriodSeconds: Int

    public init(
        minReplicas: Int = 1, maxReplicas: Int, targetUtilization: Double, scaleUp: HPAScalingRules = .defaultScaleUp,
        scaleDown: HPAScalingRules = .defaultScaleDown, tolerance: Double = 0.1, syncPeriodSeconds: Int = 15,
        cpuInitializationPeriodSeconds: Int = 300
    ) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.targetUtilization = targetUtilization
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
        self.tolerance = tolerance
        self.syncPeriodSeconds = syncPeriodSeconds
        self.cpuInitializationPeriodSeconds = cpuInitializationPeriodSeconds
    }
}
