/// The load generator's check of itself: did the client, rather than the stack, shape the result?
///
/// Each way it can is a ``Cause`` with its own threshold and sentence: the client's CPU saturated, the host
/// took the client's CPU (steal) while sends were late, the scheduler woke the client late (send lag), or the
/// client had fewer connections than asked. A trial with any cause is `generator-bound`.
public struct GeneratorCheck: Codable, Sendable, Equatable {
    /// `ok`, or `generator-bound` when the client shaped the result.
    public var verdict: String
    /// Why the trial is generator-bound, in the order of ``Cause/allCases``; empty when it is not. Absent from
    /// results written before causes were told apart.
    public var causes: [Cause]?
    /// One plain sentence per finding, causes first (the first is the one a summary prints), then notes.
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
    /// Send lag p99 above this (µs) is flagged: ``sendLagShare`` of the measured p99 latency, at least
    /// ``sendLagFloorMicros``, plus any timer slack asked for. Absent from results written before it was derived.
    public var sendLagLimitMicros: Double?
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

    /// A way the client shaped a trial's result.
    public enum Cause: String, Codable, Sendable, CaseIterable {
        /// The client's threads used more than ``GeneratorCheck/cpuLimit`` of their cores.
        case clientCPU = "client-cpu"
        /// Sends were late while the hypervisor took more than ``GeneratorCheck/stealLimit`` of the client's CPU.
        case hostSteal = "host-steal"
        /// Sends were late with the client's CPU free and no steal: the scheduler woke the client late.
        case wakeUpDelay = "wake-up-delay"
        /// Fewer connections were established than asked for.
        case connectionShortage = "connection-shortage"

        /// A few words for a table cell.
        public var label: String {
            switch self {
            case .clientCPU: "client CPU"
            case .hostSteal: "host steal"
            case .wakeUpDelay: "wake-up delay"
            case .connectionShortage: "connections"
            }
        }
    }

    public static let ok = "ok"
    public static let generatorBound = "generator-bound"

    /// Send lag p99 above this share of the trial's measured (corrected) p99 latency is flagged: corrected
    /// latency includes the lag, so a later client overstates the p99 by up to that much.
    public static let sendLagShare = 0.1
    /// Send lag p99 at or below this is never flagged, however fast the stack: scheduling jitter, not a result.
    public static let sendLagFloorMicros = 100.0
    /// Client CPU above this share of its threads' cores means the client may have been the bottleneck.
    public static let cpuLimit = 0.9
    /// Steal above this share is worth a line: the host, not the client or the server, delayed sends.
    public static let stealLimit = 0.05

    /// Builds the check and its verdict from what the run measured.
    ///
    /// `latencyP99Micros` is the trial's measured (corrected) p99 latency, which the send lag is judged against;
    /// 0 judges it against ``sendLagFloorMicros`` alone. Without `keepAlive` a connection is opened per request
    /// only when one is needed, so fewer connections than asked is no shortage.
    public init(
        cpuUserSeconds: Double, cpuSystemSeconds: Double, completed: Int, wallSeconds: Double, threads: Int,
        peakRSSBytes: Int, sendLag: Lag, queuedForConnection: Int, connectionsRequested: Int,
        connectionsEstablished: Int, targetRate: Double?, achievedRate: Double, stealShare: Double? = nil,
        timerSlackMicros: Double? = nil, latencyP99Micros: Double = 0, keepAlive: Bool = true
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
        let lagLimit = max(Self.sendLagFloorMicros, Self.sendLagShare * latencyP99Micros) + (timerSlackMicros ?? 0)
        self.sendLagLimitMicros = lagLimit

        var causes: [Cause: String] = [:]
        let cpuSaturated = cpuUtilization > Self.cpuLimit
        let stolen = (stealShare ?? 0) > Self.stealLimit
        if cpuSaturated {
            causes[.clientCPU] =
                "client CPU saturated: \(DurationText.fixed(cpuUtilization * 100, digits: 0))% of its \(threads) "
                + "thread(s) busy; the stack may be faster than measured (add --threads or cores)"
        }
        if sendLag.p99 > lagLimit, !cpuSaturated {
            var lag = "send lag p99 \(DurationText.micros(sendLag.p99))"
            if latencyP99Micros > 0 {
                lag +=
                    " is \(DurationText.fixed(sendLag.p99 / latencyP99Micros * 100, digits: 0))% of the measured p99 "
                    + DurationText.micros(latencyP99Micros)
            }
            lag += " (limit \(DurationText.micros(lagLimit)))"
            let consequence = "corrected latency includes it, so latency is overstated by up to that much"
            if stolen {
                causes[.hostSteal] =
                    "host steal: the hypervisor took \(DurationText.fixed(stealShare! * 100, digits: 0))% of the "
                    + "client's CPU time and sends were late, \(lag); \(consequence)"
            } else {
                causes[.wakeUpDelay] =
                    "scheduler wake-up delay: \(lag), with the client's CPU \(DurationText.fixed(cpuUtilization * 100, digits: 0))% busy; "
                    + consequence
            }
        }
        if keepAlive, connectionsEstablished < connectionsRequested {
            causes[.connectionShortage] =
                "connection shortage: only \(connectionsEstablished) of \(connectionsRequested) connections were "
                + "established, so the load ran on fewer than asked"
        }
        var notes: [String] = []
        if let targetRate, targetRate > 0, achievedRate < 0.95 * targetRate {
            let share = DurationText.fixed(achievedRate / targetRate * 100, digits: 1)
            notes.append(
                "achieved \(share)% of the target rate"
                    + (queuedForConnection > 0
                        ? "; \(queuedForConnection) requests waited for a free connection (server too slow or too few --connections)"
                        : ""))
        }
        if let stealShare, stolen, causes[.hostSteal] == nil {
            notes.append(
                "the host took \(DurationText.fixed(stealShare * 100, digits: 0))% of the client's CPU time (steal): "
                    + "a virtual machine's neighbours delayed the client, though its sends stayed on time")
        }
        let found = Cause.allCases.filter { causes[$0] != nil }
        self.causes = found
        self.verdict = found.isEmpty ? Self.ok : Self.generatorBound
        self.findings = found.compactMap { causes[$0] } + notes
    }

    /// `ok`, `generator-bound: wake-up delay, client CPU`, or `generator-bound` for a result written before causes
    /// were told apart.
    public var label: String {
        guard verdict != Self.ok else { return Self.ok }
        guard let causes, !causes.isEmpty else { return verdict }
        return verdict + ": " + causes.map(\.label).joined(separator: ", ")
    }
}
