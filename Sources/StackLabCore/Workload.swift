/// What the client does to a stack: protocol, request mix, arrival model, connections and timing.
public struct Workload: Sendable, Equatable, Codable {
    /// The protocol the load engine speaks to the first component of a stack.
    public enum WireProtocol: String, Sendable, Equatable, Codable, CaseIterable {
        case http
        case postgres
        case redis
        /// MySQL's protocol, served by the `mariadb` component.
        case mysql
        /// The SQL transactions of `postgres` and `mysql`, spoken as whichever the variant's entry understands:
        /// one workload compares PostgreSQL with MariaDB.
        case sql
        case nats
        case amqp
        /// MQTT 3.1.1, served by the `mosquitto` component.
        case mqtt
        /// PromQL queries over HTTP to a metrics backend (`prometheus`, `victoria-metrics`): `queries`.
        case promql

        /// Whether it is a messaging protocol (`nats`, `mqtt`, `amqp`): producers, subscriptions and the
        /// `messaging` keys.
        public var isMessaging: Bool { self == .nats || self == .mqtt || self == .amqp }

        /// Whether it is one of the SQL protocols (`postgres`, `mysql`, `sql`).
        public var isSQL: Bool { self == .postgres || self == .mysql || self == .sql }

        /// The protocol its requests travel in, which an entry's endpoint speaks: HTTP for `promql` (the
        /// backend's query API), itself for every other.
        public var carrier: WireProtocol { self == .promql ? .http : self }
    }

    /// The key-value side of a workload (`protocol: redis`): a YCSB core mix over records loaded before the run.
    public struct KeyValue: Sendable, Equatable, Codable {
        /// YCSB's core workloads that a key-value store serves with GET and SET.
        public enum Mix: String, Sendable, Equatable, Codable, CaseIterable {
            /// 50% read, 50% update (YCSB workload A, "update heavy").
            case ycsbA = "ycsb-a"
            /// 95% read, 5% update (workload B, "read mostly").
            case ycsbB = "ycsb-b"
            /// Read only (workload C).
            case ycsbC = "ycsb-c"

            /// The share of operations that are reads (GET); the rest are updates (SET).
            public var readProportion: Double {
                switch self {
                case .ycsbA: 0.5
                case .ycsbB: 0.95
                case .ycsbC: 1
                }
            }
        }

        public var mix: Mix
        /// Keys loaded before the run and chosen from, zipfian, during it.
        public var records: Int
        /// Bytes in each value written.
        public var valueSize: Int
        /// Requests a connection may have in flight at once (1: none pipelined).
        public var pipeline: Int

        public init(mix: Mix = .ycsbA, records: Int = 100_000, valueSize: Int = 100, pipeline: Int = 1) {
            self.mix = mix
            self.records = records
            self.valueSize = valueSize
            self.pipeline = pipeline
        }
    }

    /// The SQL side of a workload (`protocol: postgres` or `mysql`): one transaction, repeated, over tables
    /// loaded before the run.
    public struct SQL: Sendable, Equatable, Codable {
        public enum Transaction: String, Sendable, Equatable, Codable, CaseIterable {
            /// pgbench's default TPC-B-like script: three updates, a select and an insert in one transaction.
            case tpcb
            /// pgbench `-S`: one primary-key select of an account's balance.
            case pointSelect = "point-select"
            /// sysbench `oltp_read_write` on a table of `rows` rows: 14 selects, 2 updates, a delete and an insert.
            case readWrite = "read-write"
        }

        public var transaction: Transaction
        /// pgbench's scale factor for `tpcb` and `point-select`: 100,000 accounts, 10 tellers, 1 branch each.
        public var scale: Int
        /// Rows of the `sbtest1` table for `read-write`.
        public var rows: Int

        public init(transaction: Transaction = .tpcb, scale: Int = 1, rows: Int = 100_000) {
            self.transaction = transaction
            self.scale = scale
            self.rows = rows
        }
    }

    /// One HTTP header sent with a request.
    public struct Header: Sendable, Equatable, Codable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One kind of request in the mix.
    public struct Request: Sendable, Equatable, Codable {
        /// Starts with `/`.
        public var path: String
        /// Upper case, `GET` unless the spec says otherwise.
        public var method: String
        public var headers: [Header]
        public var body: String?
        /// Its share of the mix relative to the other requests' weights; 1 for a single request.
        public var weight: Int

        public init(path: String, method: String = "GET", headers: [Header] = [], body: String? = nil, weight: Int = 1)
        {
            self.path = path
            self.method = method
            self.headers = headers
            self.body = body
            self.weight = weight
        }
    }

    /// One step of a ramp: the rate moves linearly from the previous stage's rate (0 for the first) to `rate`.
    public struct Stage: Sendable, Equatable, Codable {
        public var nanoseconds: Int64
        /// Requests per second at the end of the stage.
        public var rate: Double

        public init(nanoseconds: Int64, rate: Double) {
            self.nanoseconds = nanoseconds
            self.rate = rate
        }
    }

    /// How requests arrive.
    public enum Arrival: Sendable, Equatable, Codable {
        /// Open loop at a constant rate in requests per second.
        case constant(rate: Double)
        /// Each connection sends its next request when the previous reply arrives (`rate: max`).
        case closedLoop
        /// Open loop following a ramp; the stages set the length of the run.
        case ramp(stages: [Stage])
        /// One trial per rate, in increasing order, to find the highest rate that meets the SLO.
        case sweep(rates: [Double])
        /// Trials at rates chosen as the run goes, to find the highest rate that meets the SLO (``CapacitySearch``).
        case search(CapacitySearch)
    }

    public var wireProtocol: WireProtocol
    /// One request, or a weighted mix; empty for a protocol other than http.
    public var requests: [Request]
    /// What a `redis` workload does; nil for http.
    public var keyValue: KeyValue?
    /// What a `postgres` or `mysql` workload does; nil for the others.
    public var sql: SQL?
    /// What a `nats` workload does; nil for the others.
    public var messaging: Messaging?
    /// The PromQL queries of a `promql` workload; nil for the others. The spec reader gives every query a workload
    /// of its own (`ExperimentSpec.workloads`), so a stored trial's workload holds one.
    public var queries: [PromQLQuery]?
    public var arrival: Arrival
    /// A sweep whose `rates` list `max` as well: one closed-loop trial after the fixed rates. Nil is false.
    ///
    /// Optional so that specs stored before the key existed still read back.
    public var includesClosedLoop: Bool?
    public var connections: Int
    /// `false` opens a new connection (and TLS session) per request, to measure set-up cost; nil is keep-alive.
    ///
    /// Optional so that specs stored before the key existed still read back.
    public var keepAlive: Bool?
    /// Threads of the load engine; `nil` lets it use the cores it may.
    public var threads: Int?
    /// The measured window of one trial. For a ramp, the stages' total less the warm-up.
    public var durationNanoseconds: Int64
    /// Traffic sent before the measured window and not recorded.
    public var warmupNanoseconds: Int64
    public var timeoutNanoseconds: Int64

    /// Defaults as the spec documents them: 32 connections, 30s measured, no warm-up, 5s timeout.
    public init(
        wireProtocol: WireProtocol = .http, requests: [Request], arrival: Arrival, connections: Int = 32,
        threads: Int? = nil, durationNanoseconds: Int64 = 30_000_000_000, warmupNanoseconds: Int64 = 0,
        timeoutNanoseconds: Int64 = 5_000_000_000, keyValue: KeyValue? = nil
    ) {
        self.wireProtocol = wireProtocol
        self.requests = requests
        self.keyValue = keyValue
        self.arrival = arrival
        self.connections = connections
        self.threads = threads
        self.durationNanoseconds = durationNanoseconds
        self.warmupNanoseconds = warmupNanoseconds
        self.timeoutNanoseconds = timeoutNanoseconds
    }
}

extension Workload {
    /// True for a capacity search, whose rates are chosen as the run goes.
    public var isSearch: Bool {
        if case .search = arrival { true } else { false }
    }

    /// One line for a person: `http GET /json, rate sweep 250, 500, 1000/s, 32 connections, 10s after 2s warm-up`.
    public var summary: String {
        var parts = ["\(wireProtocol.rawValue) " + requestsSummary, arrivalSummary, "\(connections) connections"]
        if keepAlive == false { parts.append("a new connection per request") }
        let duration = Self.durationText(durationNanoseconds)
        parts.append(
            warmupNanoseconds > 0 ? "\(duration) after \(Self.durationText(warmupNanoseconds)) warm-up" : duration)
        return parts.joined(separator: ", ")
    }

    private var requestsSummary: String {
        if let messaging { return messaging.summary }
        if let queries { return queries.map(\.summary).joined(separator: " + ") }
        if let sql {
            switch sql.transaction {
            case .tpcb, .pointSelect: return "\(sql.transaction.rawValue) at scale \(sql.scale)"
            case .readWrite: return "read-write over \(sql.rows) rows"
            }
        }
        if let keyValue {
            let reads = Int((keyValue.mix.readProportion * 100).rounded())
            let pipeline = keyValue.pipeline > 1 ? ", pipeline \(keyValue.pipeline)" : ""
            return "\(keyValue.mix.rawValue) (\(reads)% GET, \(100 - reads)% SET) over \(keyValue.records) records of "
                + "\(keyValue.valueSize) B\(pipeline)"
        }
        guard requests.count > 1 else { return requests.first.map { "\($0.method) \($0.path)" } ?? "" }
        let total = Double(requests.reduce(0) { $0 + $1.weight })
        return requests.map { "\($0.method) \($0.path) \(Int((Double($0.weight) * 100 / total).rounded()))%" }
            .joined(separator: " + ")
    }

    private var arrivalSummary: String {
        switch arrival {
        case .constant(let rate): "\(Self.rateText(rate))/s"
        case .closedLoop: "closed loop"
        case .ramp(let stages): "ramp " + stages.map { Self.rateText($0.rate) }.joined(separator: " → ") + "/s"
        case .sweep(let rates) where includesClosedLoop == true:
            rates.map(Self.rateText).joined(separator: ", ") + "/s and closed loop"
        case .sweep(let rates): "rate sweep " + rates.map(Self.rateText).joined(separator: ", ") + "/s"
        case .search(let search):
            "capacity search \(Self.rateText(search.from))–\(Self.rateText(search.to))/s to "
                + "\(Self.rateText(search.precision * 100))%"
        }
    }

    static func rateText(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int(rate)) : String(rate)
    }

    static func durationText(_ nanoseconds: Int64) -> String {
        nanoseconds % 1_000_000_000 == 0
            ? DurationText.seconds(Double(nanoseconds) / 1e9) : DurationText.micros(Double(nanoseconds) / 1e3)
    }
}
