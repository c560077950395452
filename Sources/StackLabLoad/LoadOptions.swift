import NIOCore
import StackLabCore

/// Everything a load run needs, checked and parsed: what to send, where, how fast, for how long.
public struct LoadOptions: Sendable {
    /// How requests arrive.
    public enum Arrival: Sendable, Equatable {
        /// Each connection sends its next request when the previous reply arrives (wrk's model).
        case closedLoop
        /// Requests are due on a schedule, whatever the server does; latency counts from the due time.
        case openLoop(ArrivalSchedule)
    }

    /// One kind of request; a run sends one, or a mix in proportion to their weights.
    public struct Request: Sendable {
        public var method: String
        /// Path and query, starting with `/`.
        public var path: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        public var weight: Int

        public init(
            method: String = "GET", path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
            weight: Int = 1
        ) {
            self.method = method
            self.path = path
            self.headers = headers
            self.body = body
            self.weight = weight
        }
    }

    /// Where connections go; its path is the default request's.
    public var target: TargetURL
    /// What is sent, in proportion to the weights; by default one `GET` of the target's path.
    public var requests: [Request]
    public var connections: Int = 32
    public var threads: Int = 1
    public var keepAlive: Bool = true
    /// Accept any TLS certificate (a self-signed one on a test gateway).
    public var insecure: Bool = false
    /// Count a response whose body begins `{"status":"error"` as an error (`errors.reply`) whatever its status:
    /// the answer of a Prometheus-compatible API to a query that failed (`protocol: promql`).
    public var checksQueryStatus = false
    public var timeoutNanoseconds: Int64 = 5_000_000_000
    /// Traffic sent before the measured window and not recorded.
    public var warmupNanoseconds: Int64 = 0
    /// The measured window.
    public var durationNanoseconds: Int64 = 10_000_000_000
    /// Lets the send timer fire at most once per this interval, sending every request then due.
    ///
    /// Each wake-up of an idle client costs CPU (a context switch, and on a VM an exit); coalescing them
    /// cuts client CPU per request at the price of send lag, which is measured and which corrected
    /// latency includes. 0 (the default) wakes for every request's due time.
    public var timerSlackNanoseconds: Int64 = 0
    /// Plain HTTP over keep-alive connections on raw sockets (Linux), which date each reply by the kernel's
    /// receive time and so need no wake-up per reply; false runs it on SwiftNIO like TLS (`--io nio`).
    public var directSockets = true
    /// For an open loop, the schedule covers warm-up and measured window together.
    public var arrival: Arrival = .closedLoop
    /// What a `redis://` target is asked: a YCSB mix over records; nil for HTTP.
    public var keyValue: Workload.KeyValue?
    /// What a `postgres://` or `mysql://` target runs: a transaction over tables loaded before the run.
    public var sql: Workload.SQL?
    /// What a `nats://`, `mqtt://` or `amqp://` target gets: topics, producers and subscriptions; its producers are
    /// the connections.
    public var messaging: Workload.Messaging? {
        didSet { if let messaging { connections = messaging.producers } }
    }
    /// Write the key-value records (or load the SQL tables) before the run (timed, and reported as `dataLoad`); off when the
    /// server already holds them.
    public var loadsRecords = true

    /// A `redis://` target gets YCSB workload A over 100,000 records by default.
    public init(target: TargetURL) {
        self.target = target
        self.requests = [Request(path: target.pathAndQuery)]
        if target.isRedis { keyValue = Workload.KeyValue() }
        if target.sqlFamily != nil { sql = Workload.SQL() }
        if target.isMessaging {
            let messaging = Workload.Messaging(
                qos: target.isMQTT ? 1 : nil, prefetch: target.isAMQP ? Workload.Messaging.defaultPrefetch : nil,
                persistent: target.isAMQP ? true : nil)
            self.messaging = messaging
            connections = messaging.producers
        }
    }

    /// The method shown for the run: the request's, `MIX` for several, the YCSB mix for Redis (`YCSB-A`).
    public var methodLabel: String {
        if let keyValue { return keyValue.mix.rawValue.uppercased() }
        if let sql { return sql.transaction.rawValue.uppercased() }
        if messaging != nil { return "PUB" }
        return requests.count == 1 ? requests[0].method : "MIX"
    }

    /// The bytes of one request, encoded once and written as they are for every request.
    func encoded(_ request: Request, allocator: ByteBufferAllocator) -> ByteBuffer {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("user-agent") { head += "User-Agent: stacklab/\(StackLabVersion.current)\r\n" }
        if !names.contains("accept") { head += "Accept: */*\r\n" }
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            head += "Content-Length: \(request.body.count)\r\n"
        }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + request.body.count)
        buffer.writeString(head)
        buffer.writeBytes(request.body)
        return buffer
    }

    /// The order in which a worker cycles through the requests: each appears `weight` times (reduced by
    /// their common divisor), spread evenly (smooth weighted round robin), so a mix holds at any scale.
    func requestCycle() -> [Int] {
        let weights = requests.map { max(1, $0.weight) }
        let divisor = weights.reduce(0) { Self.gcd($0, $1) }
        let reduced = weights.map { $0 / max(divisor, 1) }
        let total = reduced.reduce(0, +)
        var current = [Int](repeating: 0, count: reduced.count)
        var cycle: [Int] = []
        for _ in 0..<total {
            for index in current.indices { current[index] += reduced[index] }
            let chosen = current.indices.max { current[$0] < current[$1] }!
            current[chosen] -= total
            cycle.append(chosen)
        }
        return cycle
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

extension LoadOptions {
    /// One event loop per core this process may use.
    public static var defaultThreads: Int { ProcessUsage.usableCores() }
}
