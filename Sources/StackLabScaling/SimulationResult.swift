/// One minute of a simulation.
public struct SimulatedMinute: Sendable, Equatable, Codable {
    public var minute: Int
    /// Mean offered rate over the minute, requests/s.
    public var load: Double
    /// Pods at the end of the minute, ready or starting.
    public var replicas: Int
    /// Pods still starting at the end of the minute.
    public var starting: Int
    /// p99 of a replica at the minute's highest rate per ready replica, microseconds; nil when that rate is beyond
    /// the measured curve (unknown, counted as over the SLO) or no replica was ready.
    public var p99: Double?
    /// Mean cores used by all pods over the minute.
    public var cpuUsed: Double
    /// Mean cores requested by all pods over the minute.
    public var cpuRequested: Double
    /// More than 1% of the minute's requests met replicas beyond the SLO, so its p99 is over the limit.
    public var violation: Bool
}

/// What one way of provisioning did over a trace.
public struct SimulationResult: Sendable, Equatable, Codable {
    public var minutes: [SimulatedMinute]
    /// Each time the load went past what the ready pods serve within the SLO: seconds until a new pod was ready.
    public var scaleUpLatencies: [Int]
    /// Times the load was past what the ready pods serve within the SLO when the trace ended, no new pod ready.
    public var unansweredOverloads: Int
    /// Pod-seconds, ready or starting.
    public var podSeconds: Double
    /// Core-seconds requested and used.
    public var requestedCoreSeconds: Double
    public var usedCoreSeconds: Double
    public var minReplicas: Int
    public var maxReplicas: Int

    public var violationMinutes: Int { minutes.filter(\.violation).count }
    /// Mean pods over the trace.
    public var averageReplicas: Double { minutes.isEmpty ? 0 : podSeconds / Double(max(1, seconds)) }
    /// Core-hours requested and not used.
    public var wastedCoreHours: Double { max(0, requestedCoreSeconds - usedCoreSeconds) / 3_600 }
    /// Seconds simulated.
    public var seconds: Int
}
