/// A second-by-second simulation of a deployment under a trace, with an HPA synced every sync period or with a
/// fixed number of replicas, reported minute by minute.
///
/// Ready replicas share the load evenly; a pod serves nothing until its start-up has passed. The metrics API
/// (metrics-server) samples each pod's CPU over windows of `metricResolutionSeconds`, and the HPA reads the latest
/// window that ended at least `metricDelaySeconds` before the sync.
public struct ScalingSimulation: Sendable {
    public var trace: TrafficTrace
    public var curve: ReplicaCurve
    /// CPU request per pod, cores: the base of the HPA's utilization and of the requested CPU.
    public var cpuRequest: Double
    /// Seconds from a pod's creation to ready: the app's cold start plus readiness.
    public var startupSeconds: Int
    public var metricResolutionSeconds: Int
    public var metricDelaySeconds: Int

    public init(
        trace: TrafficTrace, curve: ReplicaCurve, cpuRequest: Double, startupSeconds: Int,
        metricResolutionSeconds: Int = 15, metricDelaySeconds: Int = 0
    ) {
        self.trace = trace
        self.curve = curve
        self.cpuRequest = cpuRequest
        self.startupSeconds = startupSeconds
        self.metricResolutionSeconds = max(1, metricResolutionSeconds)
        self.metricDelaySeconds = max(0, metricDelaySeconds)
    }

    struct Pod {
        var created: Int
        var ready: Int
    }

    /// The trace served by an HPA that starts at the replicas holding its target for the trace's first rate.
    public func autoscaled(_ spec: HPASpec) -> SimulationResult {
        let first = trace.rate(at: 0)
        let steady =
            (spec.minReplicas...max(spec.minReplicas, spec.maxReplicas)).first {
                curve.cores(at: first / Double($0)) <= cpuRequest * spec.targetUtilization
            } ?? spec.maxReplicas
        var controller = HorizontalController(spec: spec)
        return run(initial: steady) { now, pods, history in
            guard now % spec.syncPeriodSeconds == 0 else { return nil }
            let samples = self.samples(now: now, pods: pods, history: history, spec: spec)
            let desired = ReplicaCalculator.desiredReplicas(
                current: pods.count, pods: samples, targetUtilization: spec.targetUtilization,
                tolerance: spec.tolerance)
            return controller.reconcile(now: now, current: pods.count, metricDesired: desired)
        }
    }

    /// The trace served by `replicas` pods, ready from the start.
    public func fixed(_ replicas: Int) -> SimulationResult {
        run(initial: replicas) { _, _, _ in nil }
    }

    /// What the metrics API reports of each pod at a sync at `now`.
    func samples(now: Int, pods: [Pod], history: (Int) -> Double, spec: HPASpec) -> [PodSample] {
        let window = metricResolutionSeconds
        let end = (now - metricDelaySeconds).floorDivided(by: window) * window
        return pods.map { pod in
            // metrics-server has no sample of a pod that has not lived through a whole window.
            guard pod.created <= end - window else { return PodSample(request: cpuRequest, usage: nil) }
            let usage = (end - window..<end).reduce(0.0) { $0 + (pod.ready <= $1 ? history($1) : 0) } / Double(window)
            let unready =
                now < pod.created + spec.cpuInitializationPeriodSeconds
                ? pod.ready > now || end < pod.ready + window : pod.ready > now
            return PodSample(request: cpuRequest, usage: usage, unready: unready)
        }
    }

    /// The loop both ways share; `decide` returns the replicas to have from this second on, or nil for no change.
    func run(initial: Int, decide: (Int, [Pod], (Int) -> Double) -> Int?) -> SimulationResult {
        let initialCores = curve.cores(at: trace.rate(at: 0) / Double(max(1, initial)))
        var pods = Array(repeating: Pod(created: Int.min / 2, ready: Int.min / 2), count: initial)
        var coresPerReady: [Double] = []
        coresPerReady.reserveCapacity(trace.length)
        var tally = MinuteTally()
        var result = SimulationResult(
            minutes: [], scaleUpLatencies: [], unansweredOverloads: 0, podSeconds: 0, requestedCoreSeconds: 0,
            usedCoreSeconds: 0,
            minReplicas: initial, maxReplicas: initial, seconds: trace.length)
        var overloadedSince: Int?
        for now in 0..<trace.length {
            let history = { (second: Int) in second < 0 ? initialCores : coresPerReady[second] }
            if let wanted = decide(now, pods, history), wanted != pods.count {
                if wanted > pods.count {
                    let pod = Pod(created: now, ready: now + startupSeconds)
                    pods += Array(repeating: pod, count: wanted - pods.count)
                } else {
                    // A ReplicaSet removes pods that are not ready first, then the youngest.
                    pods.sort { ($0.ready > now ? 1 : 0, $0.created) > ($1.ready > now ? 1 : 0, $1.created) }
                    pods.removeFirst(pods.count - wanted)
                }
            }
            let ready = pods.filter { $0.ready <= now }.count
            let rate = trace.rate(at: Double(now))
            let perReplica = ready > 0 ? rate / Double(ready) : .infinity
            let cores = ready > 0 ? curve.cores(at: perReplica) : 0
            coresPerReady.append(cores)
            // Scale-up latency: from the load passing what the ready pods serve within the SLO to a new pod ready.
            let overloaded = rate > 0 && (ready == 0 || perReplica > curve.capacity)
            if let since = overloadedSince, pods.contains(where: { $0.ready == now }) {
                result.scaleUpLatencies.append(now - since)
                overloadedSince = nil
            }
            if overloaded, overloadedSince == nil { overloadedSince = now }
            if !overloaded { overloadedSince = nil }
            if overloaded, now + 1 == trace.length { result.unansweredOverloads += 1 }
            result.podSeconds += Double(pods.count)
            result.requestedCoreSeconds += Double(pods.count) * cpuRequest
            result.usedCoreSeconds += cores * Double(ready)
            result.minReplicas = min(result.minReplicas, pods.count)
            result.maxReplicas = max(result.maxReplicas, pods.count)
            let withinSLO = rate == 0 || (ready > 0 && curve.withinSLO(at: perReplica))
            tally.add(
                rate: rate, perReplica: perReplica, withinSLO: withinSLO, used: cores * Double(ready),
                requested: Double(pods.count) * cpuRequest)
            if (now + 1) % 60 == 0 || now + 1 == trace.length {
                result.minutes.append(
                    tally.minute(
                        now / 60, replicas: pods.count, starting: pods.count - pods.filter { $0.ready <= now }.count,
                        curve: curve))
                tally = MinuteTally()
            }
        }
        return result
    }
}

/// The seconds of one minute, summed.
struct MinuteTally {
    var seconds = 0
    var requests = 0.0
    var requestsBeyondSLO = 0.0
    var highestPerReplica = 0.0
    var used = 0.0
    var requested = 0.0

    mutating func add(rate: Double, perReplica: Double, withinSLO: Bool, used: Double, requested: Double) {
        seconds += 1
        requests += rate
        if !withinSLO { requestsBeyondSLO += rate }
        highestPerReplica = max(highestPerReplica, perReplica)
        self.used += used
        self.requested += requested
    }

    func minute(_ index: Int, replicas: Int, starting: Int, curve: ReplicaCurve) -> SimulatedMinute {
        let count = Double(max(1, seconds))
        return SimulatedMinute(
            minute: index, load: requests / count, replicas: replicas, starting: starting,
            p99: highestPerReplica.isFinite ? curve.p99(at: highestPerReplica) : nil, cpuUsed: used / count,
            cpuRequested: requested / count, violation: requests > 0 && requestsBeyondSLO / requests > 0.01)
    }
}

extension Int {
    /// Division rounding toward minus infinity, for times before the trace's start.
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
