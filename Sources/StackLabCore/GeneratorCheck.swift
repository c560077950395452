/// The load generator's check of itself: did the client, rather than the server, limit the result?
public struct GeneratorCheck: Codable, Sendable, Equatable {
    /// `ok`, or `generator-bound` when the client limited the result.
    public var verdict: String
    /// One plain sentence per finding, the first being the one the summary prints.
    public var findings: [String]
    public var cpuUserSeconds: Double
    public var cpuSystemSeconds: Double
    /// Client CPU seconds per completed request, in microseconds.
    public var cpuMicrosPerRequest: Double
    /// Client CPU used as a share of the cores its threads could use (0...1).
    public var cpuUtilization: Double
    public var peakRSSBytes: Int
    /// Actual minus intended send time of requests that found a free connection, in microseconds.
    public var sendLag: Lag
    /// Requests that were due while every connection was busy and waited for one.
    public var queuedForConnection: Int
    public var connectionsRequested: Int
    public var connectionsEstablished: Int
    public var targetRate: Double?
    public var achievedRate: Double
    /// Share of the client's CPUs' time that the hypervisor gave to others (steal, 0...1); nil where
    /// /proc/stat cannot be read. Absent from results written before it was added.
    public var stealShare: Double?
    /// The `--timer-slack` asked for, in microseconds: sends coalesced on purpose, so send lag up to this is
    /// expected (corrected latency includes it). Absent when none was asked for.
    public var timerSlackMicros: Double?

    public struct Lag: Codable, Sendable, Equatable {
        public var p50: Double
        public var p99: Double
        public var max: Double

        public init(p50: Double, p99: Double, max: Double) {
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    public static let ok = "ok"
    public static let generatorBound = "generator-bound"

    /// Send lag p99 above this means the client's own scheduling, not the server, delayed requests.
    public static let sendLagLimitMicros = 1_000.0
    /// Client CPU above this share of its threads' cores means the client may have been the bottleneck.
    public static let cpuLimit = 0.9
    /// Steal above this share is worth a line: the host, not the client or the server, delayed sends.
    public static let stealLimit = 0.05

    /// Builds the check and its verdict from what the run measured.
    public init(
        cpuUserSeconds: Double, cpuSystemSeconds: Double, completed: Int, wallSeconds: Double, threads: Int,
        peakRSSBytes: Int, sendLag: Lag, queuedForConnection: Int, connectionsRequested: Int,
        connectionsEstablished: Int, targetRate: Double?, achievedRate: Double, stealShare: Double? = nil,
        timerSlackMicros: Double? = nil
    ) {
        let cpu = cpuUserSeconds + cpuSystemSeconds
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
        self.cpuMicrosPerRequest = completed > 0 ? cpu * 1e6 / Double(completed) : 0
        self.cpuUtilization = wallSeconds > 0 && threads > 0 ? cpu / (wallSeconds * Double(threads)) : 0
        self.peakRSSBytes = peakRSSBytes
        self.sendLag = sendLag
        self.queuedForConnection = queuedForConnection
        self.connectionsRequested = connectionsRequested
        self.connectionsEstablished = connectionsEstablished
        self.targetRate = targetRate
        self.achievedRate = achievedRate
        self.stealShare = stealShare
        self.timerSlackMicros = timerSlackMicros

        var bound: [String] = []
        var notes: [String] = []
        if sendLag.p99 > Self.sendLagLimitMicros + (timerSlackMicros ?? 0) {
            bound.append(
                "generator-bound: send lag p99 \(DurationText.micros(sendLag.p99)); results understate latency")
        }
        if cpuUtilization > Self.cpuLimit {
            let percent = DurationText.fixed(cpuUtilization * 100, digits: 0)
            bound.append(
                "generator-bound: client CPU at \(percent)% of its \(threads) thread(s); "
                    + "the server may be faster than measured (add --threads or cores)")
        }
        if connectionsEstablished < connectionsRequested {
            notes.append(
                "only \(connectionsEstablished) of \(connectionsRequested) connections were established")
        }
        if let targetRate, targetRate > 0, achievedRate < 0.95 * targetRate {
            let share = DurationText.fixed(achievedRate / targetRate * 100, digits: 1)
            notes.append(
                "achieved \(share)% of the target rate"
                    + (queuedForConnection > 0
                        ? "; \(queuedForConnection) requests waited for a free connection (server too slow or too few --connections)"
                        : ""))
        }
        if let stealShare, stealShare > Self.stealLimit {
            notes.append(
                "the host took \(DurationText.fixed(stealShare * 100, digits: 0))% of the client's CPU time (steal): "
                    + "a virtual machine's neighbours delayed sends, not the client's own work")
        }
        self.verdict = bound.isEmpty ? Self.ok : Self.generatorBound
        self.findings = bound + notes
    }
}
