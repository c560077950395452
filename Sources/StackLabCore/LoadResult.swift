/// The outcome of one load run: what `stacklab load --json` writes and what experiments store.
///
/// The schema is documented in `docs/load-json.md`. Latencies are in microseconds. Adding a field is a
/// compatible change; renaming or removing one bumps ``schemaVersion``.
public struct LoadResult: Codable, Sendable, Equatable {
    public static let schemaVersion = "stacklab.load/1"

    public var schema: String
    public var target: TargetInfo
    public var arrival: ArrivalInfo
    /// Wall-clock start of the run, ISO 8601 in UTC.
    public var startedAt: String
    public var warmupSeconds: Double
    /// The measured window that was planned.
    public var plannedSeconds: Double
    /// The measured window that actually ran (shorter when interrupted).
    public var measuredSeconds: Double
    /// True when Ctrl-C ended the run early.
    public var interrupted: Bool
    public var requests: RequestCounts
    /// Completed requests per second over the measured window.
    public var achievedRate: Double
    public var errors: ErrorCounts
    /// Errors of every class over requests attempted in the measured window (0...1).
    public var errorRate: Double
    /// Response time measured from each request's intended send time (coordinated-omission corrected).
    public var latency: LatencySummary
    /// Service time measured from the actual send.
    public var serviceTime: LatencySummary
    /// Responses by HTTP status code (`"200"`). Results written before ``replies`` existed kept Redis replies
    /// here by kind (`ok`, `value`, `nil`, `error`): read ``replyKinds`` and ``httpStatuses``.
    public var statusCodes: [String: Int]
    /// Redis replies by kind; nil for HTTP and SQL, and in results written before it existed.
    public var replies: Replies?
    public var series: [SecondSample]
    public var generator: GeneratorCheck
    public var thresholds: [ThresholdOutcome]
    /// The records loaded before the run, and how long that took; nil when nothing was loaded.
    public var dataLoad: DataLoad?
    /// Why the trial's figures are not a measurement (``invalidity``), as the engine found it; nil when they
    /// are. Absent from results written before it was added: read ``invalidity``, which checks those too.
    public var invalid: String?
    /// A messaging run's accounting, end-to-end latency and rates in and out; nil for other protocols.
    public var messaging: Messaging?

    public init(
        target: TargetInfo, arrival: ArrivalInfo, startedAt: String, warmupSeconds: Double,
        plannedSeconds: Double, measuredSeconds: Double, interrupted: Bool, requests: RequestCounts,
        achievedRate: Double, errors: ErrorCounts, errorRate: Double, latency: LatencySummary,
        serviceTime: LatencySummary, statusCodes: [String: Int], series: [SecondSample],
        generator: GeneratorCheck, thresholds: [ThresholdOutcome] = []
    ) {
        self.schema = Self.schemaVersion
        self.target = target
        self.arrival = arrival
        self.startedAt = startedAt
        self.warmupSeconds = warmupSeconds
        self.plannedSeconds = plannedSeconds
        self.measuredSeconds = measuredSeconds
        self.interrupted = interrupted
        self.requests = requests
        self.achievedRate = achievedRate
        self.errors = errors
        self.errorRate = errorRate
        self.latency = latency
        self.serviceTime = serviceTime
        self.statusCodes = statusCodes
        self.series = series
        self.generator = generator
        self.thresholds = thresholds
    }
}

extension LoadResult {
    public struct TargetInfo: Codable, Sendable, Equatable {
        public var url: String
        public var method: String
        public var connections: Int
        public var threads: Int
        public var keepAlive: Bool
        public var tls: Bool

        public init(url: String, method: String, connections: Int, threads: Int, keepAlive: Bool, tls: Bool) {
            self.url = url
            self.method = method
            self.connections = connections
            self.threads = threads
            self.keepAlive = keepAlive
            self.tls = tls
        }
    }

    public struct ArrivalInfo: Codable, Sendable, Equatable {
        /// `open` (constant rate), `stages` (ramped rate) or `closed` (next request on reply).
        public var model: String
        /// Requests per second the schedule asked for over the measured window; nil for closed loop.
        public var targetRate: Double?
        public var stages: [Stage]?

        public init(model: String, targetRate: Double?, stages: [Stage]?) {
            self.model = model
            self.targetRate = targetRate
            self.stages = stages
        }

        public struct Stage: Codable, Sendable, Equatable {
            public var seconds: Double
            /// The rate reached at the end of the stage; the ramp is linear from the previous stage's.
            public var rate: Double

            public init(seconds: Double, rate: Double) {
                self.seconds = seconds
                self.rate = rate
            }
        }
    }

    public struct RequestCounts: Codable, Sendable, Equatable {
        /// Requests that received a complete response (any status) in the measured window.
        public var completed: Int
        /// Requests the schedule made due in the measured window but the run ended before they could be sent.
        public var unsent: Int
        public var bytesSent: Int
        public var bytesReceived: Int
        /// Requests the schedule made due in the measured window (open loop), or the ones the client
        /// attempted (closed loop). Absent from results written before it was added, as are the three below.
        public var due: Int?
        /// Requests due in the window that were sent (for SQL: taken up by a connection). Each ended as
        /// completed, failed (counted in an error class) or abandoned.
        public var attempted: Int?
        /// Requests sent in the window still without a reply when the run closed their connections.
        public var abandoned: Int?
        /// Replies read during the measured window to requests due before it: a warm-up backlog the stack
        /// was still working off. Their bytes are in `bytesReceived`; they are not in `completed`.
        public var earlierReplies: Int?

        public init(
            completed: Int, unsent: Int, bytesSent: Int, bytesReceived: Int, due: Int? = nil, attempted: Int? = nil,
            abandoned: Int? = nil, earlierReplies: Int? = nil
        ) {
            self.completed = completed
            self.unsent = unsent
            self.bytesSent = bytesSent
            self.bytesReceived = bytesReceived
            self.due = due
            self.attempted = attempted
            self.abandoned = abandoned
            self.earlierReplies = earlierReplies
        }
    }

    public struct ErrorCounts: Codable, Sendable, Equatable {
        /// Connection attempts refused or failed.
        public var connect: Int
        /// Requests with no complete response within `--timeout`.
        public var timeout: Int
        /// Connections reset or closed before the response was complete, and malformed responses.
        public var read: Int
        public var status4xx: Int
        public var status5xx: Int
        /// Complete replies in which the server refused the command: a Redis error reply (`-ERR`, `-OOM`).
        public var reply: Int
        /// SQL transactions the server aborted to keep them serializable (SQLSTATE 40001), rolled back.
        public var serialization: Int
        /// SQL transactions chosen as a deadlock's victim (SQLSTATE 40P01, MySQL 1213), rolled back.
        public var deadlock: Int
        /// SQL transactions that failed with any other server error, rolled back.
        public var sql: Int

        public init(
            connect: Int = 0, timeout: Int = 0, read: Int = 0, status4xx: Int = 0, status5xx: Int = 0, reply: Int = 0,
            serialization: Int = 0, deadlock: Int = 0, sql: Int = 0
        ) {
            self.connect = connect
            self.timeout = timeout
            self.read = read
            self.status4xx = status4xx
            self.status5xx = status5xx
            self.reply = reply
            self.serialization = serialization
            self.deadlock = deadlock
            self.sql = sql
        }

        public var total: Int {
            connect + timeout + read + status4xx + status5xx + reply + serialization + deadlock + sql
        }

        /// Failed attempts that are not in `completed`: everything but HTTP error statuses and error replies.
        public var failedAttempts: Int { connect + timeout + read + serialization + deadlock + sql }

        public static func + (lhs: Self, rhs: Self) -> Self {
            Self(
                connect: lhs.connect + rhs.connect, timeout: lhs.timeout + rhs.timeout, read: lhs.read + rhs.read,
                status4xx: lhs.status4xx + rhs.status4xx, status5xx: lhs.status5xx + rhs.status5xx,
                reply: lhs.reply + rhs.reply, serialization: lhs.serialization + rhs.serialization,
                deadlock: lhs.deadlock + rhs.deadlock, sql: lhs.sql + rhs.sql)
        }

        private enum CodingKeys: String, CodingKey {
            case connect, timeout, read, status4xx, status5xx, reply, serialization, deadlock, sql
        }

        /// Results written before `reply` or the SQL classes existed read them as 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                connect: try container.decode(Int.self, forKey: .connect),
                timeout: try container.decode(Int.self, forKey: .timeout),
                read: try container.decode(Int.self, forKey: .read),
                status4xx: try container.decode(Int.self, forKey: .status4xx),
                status5xx: try container.decode(Int.self, forKey: .status5xx),
                reply: try container.decodeIfPresent(Int.self, forKey: .reply) ?? 0,
                serialization: try container.decodeIfPresent(Int.self, forKey: .serialization) ?? 0,
                deadlock: try container.decodeIfPresent(Int.self, forKey: .deadlock) ?? 0,
                sql: try container.decodeIfPresent(Int.self, forKey: .sql) ?? 0)
        }
    }

    /// Records written before the measured run (`protocol: redis`, or the tables of `protocol: postgres`), so
    /// that reads find their keys.
    public struct DataLoad: Codable, Sendable, Equatable {
        public var records: Int
        public var bytes: Int
        public var seconds: Double

        public init(records: Int, bytes: Int, seconds: Double) {
            self.records = records
            self.bytes = bytes
            self.seconds = seconds
        }

        /// Records written per second.
        public var rate: Double { seconds > 0 ? Double(records) / seconds : 0 }
    }

    public struct SecondSample: Codable, Sendable, Equatable {
        /// Seconds since the start of the measured window, counting from 1.
        public var second: Int
        public var requests: Int
        public var p50: Double
        public var p99: Double
        public var errors: Int

        public init(second: Int, requests: Int, p50: Double, p99: Double, errors: Int) {
            self.second = second
            self.requests = requests
            self.p50 = p50
            self.p99 = p99
            self.errors = errors
        }
    }

    public struct ThresholdOutcome: Codable, Sendable, Equatable {
        public var expression: String
        public var actual: Double
        public var limit: Double
        public var passed: Bool

        public init(expression: String, actual: Double, limit: Double, passed: Bool) {
            self.expression = expression
            self.actual = actual
            self.limit = limit
            self.passed = passed
        }
    }
}
