import StackLabCore

/// An HPA against static provisioning for the peak, over one trace, on one variant's measured replica, priced.
public struct ScalingPlan: Sendable, Equatable {
    public var profile: ReplicaProfile
    public var trace: TrafficTrace
    public var hpa: HPASpec
    /// Seconds from a pod's creation to ready.
    public var startupSeconds: Int
    /// Where the start-up time came from: `measured cold start` or `--startup`.
    public var startupSource: String
    /// Cores per pod, and where that figure came from.
    public var cpuRequest: Double
    public var cpuRequestSource: String
    /// GiB per pod, and where that figure came from.
    public var memoryGiB: Double
    public var memorySource: String
    /// ceil(peak / capacity): enough replicas for the trace's peak all along.
    public var staticReplicas: Int
    public var autoscaled: SimulationResult
    public var fixed: SimulationResult
    /// KEDA on a rate trigger, when asked for.
    public var kedaSpec: KEDASpec?
    public var keda: SimulationResult?
    public var catalog: PriceCatalog

    /// Simulates both ways.
    ///
    /// - Parameters:
    ///   - startupSeconds: overrides the measured cold start; without either the plan assumes 30 s.
    ///   - cpuRequest: overrides the declared request; without either, the cores a replica used at its capacity.
    public init(
        profile: ReplicaProfile, trace: TrafficTrace, hpa: HPASpec, catalog: PriceCatalog,
        startupSeconds: Int? = nil, cpuRequest: Double? = nil, metricResolutionSeconds: Int = 15,
        metricDelaySeconds: Int = 0, keda kedaSpec: KEDASpec? = nil
    ) {
        self.profile = profile
        self.trace = trace
        self.hpa = hpa
        self.catalog = catalog
        if let startupSeconds {
            self.startupSeconds = startupSeconds
            startupSource = "--startup"
        } else if let cold = profile.coldStartSeconds {
            self.startupSeconds = Int(cold.rounded(.up))
            startupSource = "measured cold start"
        } else {
            self.startupSeconds = Self.defaultStartupSeconds
            startupSource = "assumed (no cold start measured; --startup sets it)"
        }
        if let cpuRequest {
            self.cpuRequest = cpuRequest
            cpuRequestSource = "--cpu-request"
        } else if let declared = profile.cpuRequest {
            self.cpuRequest = declared
            cpuRequestSource = "the experiment's resources.requests.cpu"
        } else {
            self.cpuRequest = max(0.001, profile.curve.cores(at: profile.curve.capacity))
            cpuRequestSource = "the cores a replica used at its capacity (no request declared)"
        }
        if let memory = profile.memoryRequest {
            memoryGiB = Double(memory) / 1_073_741_824
            memorySource = "the experiment's resources.requests.memory"
        } else {
            memoryGiB = Double(profile.peakMemory) / 1_073_741_824
            memorySource = "the highest memory measured (no request declared)"
        }
        staticReplicas = max(1, Int((trace.peak / profile.curve.capacity).rounded(.up)))
        let simulation = ScalingSimulation(
            trace: trace, curve: profile.curve, cpuRequest: self.cpuRequest, startupSeconds: self.startupSeconds,
            metricResolutionSeconds: metricResolutionSeconds, metricDelaySeconds: metricDelaySeconds)
        autoscaled = simulation.autoscaled(hpa)
        self.kedaSpec = kedaSpec
        keda = kedaSpec.map { simulation.keda($0) }
        fixed = simulation.fixed(staticReplicas)
    }

    public static let defaultStartupSeconds = 30

    /// The VPA recommender's answer for the static replicas' minute-by-minute CPU and their measured peak memory;
    /// nil for a trace shorter than a minute.
    public var vpa: VPARecommender.Recommendation? {
        var recommender = VPARecommender()
        for minute in fixed.minutes where minute.replicas > 0 {
            recommender.add(
                cores: minute.cpuUsed / Double(minute.replicas), request: cpuRequest,
                memory: Double(profile.peakMemory),
                at: Double(minute.minute * 60), pods: minute.replicas)
        }
        return recommender.recommendation
    }

    /// $ for static provisioning with the VPA's target as each replica's requests.
    public func dollarsAtVPATarget(_ recommendation: VPARecommender.Recommendation) -> Double {
        fixed.podSeconds
            * (recommendation.cpu.target * catalog.cpuPerVCPUSecond
                + recommendation.memory.target / 1_073_741_824 * catalog.memoryPerGiBSecond)
    }

    /// The rate at which one replica uses the HPA's target share of its request, requests/s: where the HPA holds
    /// each replica. Above the capacity, the HPA lets replicas run past the SLO. Nil when the target is above what
    /// the CPU limit allows (the HPA then never scales up).
    public var rateAtTarget: Double? {
        let wanted = cpuRequest * hpa.targetUtilization
        let curve = profile.curve
        var high = max(curve.highestMeasured, 1)
        while curve.cores(at: high) < wanted {
            guard high < 1e12, curve.cpuLimit.map({ $0 >= wanted }) ?? true else { return nil }
            high *= 2
        }
        var low = 0.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if curve.cores(at: middle) < wanted { low = middle } else { high = middle }
        }
        return high
    }

    /// $ for the pods of `result` over the trace: their requested CPU and memory at the catalog's rates.
    public func dollars(_ result: SimulationResult) -> Double {
        result.podSeconds * (cpuRequest * catalog.cpuPerVCPUSecond + memoryGiB * catalog.memoryPerGiBSecond)
    }

    /// The share of the static cost the autoscaler saves (negative when it costs more).
    public var savings: Double {
        let fixedCost = dollars(fixed)
        return fixedCost > 0 ? 1 - dollars(autoscaled) / fixedCost : 0
    }
}
