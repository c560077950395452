import StackLabScaling

/// `stacklab plan --format json`: the plan's inputs, both simulations' summaries and their minutes.
struct PlanDocument: Encodable {
    static let schemaVersion = "stacklab.plan/1"

    struct Way: Encodable {
        var replicasMin: Int
        var replicasAverage: Double
        var replicasMax: Int
        var violationMinutes: Int
        var scaleUpLatencySeconds: [Int]
        var unansweredOverloads: Int
        var requestedCoreHours: Double
        var usedCoreHours: Double
        var wastedCoreHours: Double
        var dollars: Double
        var minutes: [SimulatedMinute]

        init(_ result: SimulationResult, dollars: Double) {
            replicasMin = result.minReplicas
            replicasAverage = result.averageReplicas
            replicasMax = result.maxReplicas
            violationMinutes = result.violationMinutes
            scaleUpLatencySeconds = result.scaleUpLatencies
            unansweredOverloads = result.unansweredOverloads
            requestedCoreHours = result.requestedCoreSeconds / 3_600
            usedCoreHours = result.usedCoreSeconds / 3_600
            wastedCoreHours = result.wastedCoreHours
            self.dollars = dollars
            minutes = result.minutes
        }
    }

    var schema = schemaVersion
    var run: String
    var variant: String
    var components: [String]
    var trace: String
    var traceSeconds: Int
    var peak: Double
    var workload: String?
    /// Requests/s at which a replica uses the HPA's target share of its CPU request.
    var rateAtTarget: Double?
    /// Requests/s one replica serves within the SLO; a lower bound when `capacityIsLowerBound`.
    var capacity: Double
    var capacityIsLowerBound: Bool
    var p99LimitMicros: Double?
    var startupSeconds: Int
    var cpuRequest: Double
    var memoryGiB: Double
    var targetUtilization: Double
    var minReplicas: Int
    var maxReplicas: Int
    var staticReplicas: Int
    var catalog: String
    var autoscaler: Way
    var keda: Way?
    /// KEDA's trigger threshold, requests/s a replica.
    var kedaThreshold: Double?
    /// The VPA recommender's CPU (cores) and memory (bytes) for the static replicas: lower, target, upper.
    var vpaCPU: [Double]?
    var vpaMemory: [Double]?
    var vpaStaticDollars: Double?
    var fixed: Way

    init(plan: ScalingPlan, run: String) {
        self.run = run
        variant = plan.profile.variant
        components = plan.profile.components
        trace = plan.trace.name
        traceSeconds = plan.trace.length
        peak = plan.trace.peak
        workload = plan.profile.workload
        rateAtTarget = plan.rateAtTarget
        capacity = plan.profile.curve.capacity
        capacityIsLowerBound = plan.profile.curve.capacityIsLowerBound
        p99LimitMicros = plan.profile.curve.p99Limit
        startupSeconds = plan.startupSeconds
        cpuRequest = plan.cpuRequest
        memoryGiB = plan.memoryGiB
        targetUtilization = plan.hpa.targetUtilization
        minReplicas = plan.hpa.minReplicas
        maxReplicas = plan.hpa.maxReplicas
        staticReplicas = plan.staticReplicas
        catalog = plan.catalog.name
        autoscaler = Way(plan.autoscaled, dollars: plan.dollars(plan.autoscaled))
        fixed = Way(plan.fixed, dollars: plan.dollars(plan.fixed))
        keda = plan.keda.map { Way($0, dollars: plan.dollars($0)) }
        kedaThreshold = plan.kedaSpec?.threshold
        if let vpa = plan.vpa {
            vpaCPU = [vpa.cpu.lower, vpa.cpu.target, vpa.cpu.upper]
            vpaMemory = [vpa.memory.lower, vpa.memory.target, vpa.memory.upper]
            vpaStaticDollars = plan.dollarsAtVPATarget(vpa)
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, run, variant, workload, components, trace, traceSeconds, peak, capacity, capacityIsLowerBound
        case rateAtTarget, p99LimitMicros, startupSeconds, cpuRequest, memoryGiB, targetUtilization, minReplicas,
            maxReplicas
        case staticReplicas, catalog, autoscaler, keda, kedaThreshold, vpaCPU, vpaMemory, vpaStaticDollars
        case fixed = "static"
    }
}
