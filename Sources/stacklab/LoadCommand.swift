import ArgumentParser
import Foundation
import StackLabCore
import StackLabLoad
import StackLabReport

/// `stacklab load URL`: HTTP load, open or closed loop, measured free of coordinated omission.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
            "Drive HTTP/1.1, Redis, PostgreSQL, MySQL, NATS, MQTT or AMQP load at a URL and measure latency, free of coordinated omission.",
        discussion: """
            With --rate, requests are due on a schedule (open loop) and latency counts from each request's \
            due time, so a stalled server shows in full; service time from the actual send is reported beside \
            it. Without --rate, each connection sends its next request when the reply arrives (closed loop, \
            like wrk). A redis:// URL (redis://:PASSWORD@HOST:PORT with a password) loads --records keys, \
            timed, then runs a YCSB mix (--mix) of GET and SET over them with a zipfian key choice. A \
            postgres://USER:PASSWORD@HOST:PORT/DATABASE or mysql://… (MariaDB) URL runs --transaction (tpcb, point-select, read-write) with \
            prepared statements, after loading its tables when they are absent or of another --scale. A \
            nats://[USER:PASSWORD@]HOST:PORT URL runs a messaging workload: --topics, --producers and \
            --subscriptions per topic, messages of --message-size stamped with their intended send time and a \
            sequence number, end-to-end latency and exact accounting (lost, duplicated, out of order); an \
            mqtt://[USER:PASSWORD@]HOST:PORT URL runs the same workload in MQTT 3.1.1 at --qos 0, 1 or 2, and an \
            amqp://[USER:PASSWORD@]HOST:PORT URL in AMQP 0-9-1 (RabbitMQ: publisher confirms, a fanout exchange \
            per topic, a queue per subscription of --queue-type, --prefetch, --transient). With --promql, an \
            http:// URL of Prometheus or VictoriaMetrics is sent that query (--query-range and --query-step for a \
            range query ending as the run ends), asked once before load, and an answer of "status":"error" \
            counts as an error. Thresholds \
            that fail exit with code 99; bad input exits with code 2.
            """
    )

    @Argument(
        help:
            "The target, http://, https://, redis://, postgres://, mysql://, nats://, mqtt:// or amqp://, e.g. http://127.0.0.1:8080/json."
    )
    var url: String

    @Option(help: "Redis: the YCSB mix, ycsb-a (50% GET), ycsb-b (95% GET) or ycsb-c (GET only).")
    var mix: String = "ycsb-a"

    @Option(help: "Redis: keys loaded before the run and chosen from (zipfian).")
    var records: Int = 100_000

    @Option(name: .customLong("value-size"), help: "Redis: bytes in each value written.")
    var valueSize: Int = 100

    @Option(name: [.customShort("P"), .long], help: "Redis: requests each connection keeps in flight.")
    var pipeline: Int = 1

    @Flag(
        name: .customLong("no-load"),
        help: "Redis and SQL: skip loading the records or tables (the server already holds them).")
    var noLoad = false

    @Option(help: "SQL: the transaction, tpcb (pgbench's default), point-select (pgbench -S) or read-write (sysbench).")
    var transaction: String = "tpcb"

    @Option(help: "SQL: pgbench's scale factor for tpcb and point-select (100,000 accounts each).")
    var scale: Int = 1

    @Option(help: "SQL: rows of the sbtest1 table for read-write.")
    var rows: Int = 100_000

    @Option(help: "NATS: topics (subjects PREFIX.0, PREFIX.1, …).")
    var topics: Int = 1

    @Option(help: "NATS: producers per topic, one connection each.")
    var producers: Int = 1

    @Option(help: "NATS: subscriptions per topic; each receives every message of its topic.")
    var subscriptions: Int = 1

    @Option(help: "NATS: consumers per subscription (a queue group when more than 1).")
    var consumers: Int = 1

    @Option(name: .customLong("message-size"), help: "NATS: payload bytes of each message (at least 24).")
    var messageSize: Int = 1_024

    @Option(name: .customLong("in-flight"), help: "NATS: messages a producer keeps unacknowledged at most.")
    var inFlight: Int = 256

    @Option(name: .customLong("consumer-rate"), help: "NATS: messages per second each consumer handles at most.")
    var consumerRate: Double?

    @Option(name: .customLong("subject-prefix"), help: "NATS: the subjects' prefix.")
    var subjectPrefix: String = "stacklab"

    @Flag(help: "NATS: JetStream, a stream per topic, publish until the PubAck, a pull consumer per subscription.")
    var jetstream = false

    @Option(help: "MQTT: the quality of service to publish and subscribe at, 0, 1 or 2.")
    var qos: Int = 1

    @Option(help: "AMQP: deliveries a consumer holds unacknowledged at most (Basic.Qos prefetch).")
    var prefetch: Int = Workload.Messaging.defaultPrefetch

    @Flag(help: "AMQP: publish transient messages (delivery mode 1) rather than persistent ones.")
    var transient = false

    @Option(
        name: .customLong("queue-type"),
        help: "AMQP: the queues to declare, classic or quorum (or ?queue_type= in the URL; classic by default).")
    var queueType: String?

    @Option(
        help:
            "PromQL: a query for the Prometheus or VictoriaMetrics API at the URL (an error status counts as an error)."
    )
    var promql: String?

    @Option(
        name: .customLong("query-range"),
        help: "PromQL: a range query over this range, ending as the run ends, e.g. 1h.")
    var queryRange: String?

    @Option(name: .customLong("query-step"), help: "PromQL: the range query's step, e.g. 15s (default: 240 points).")
    var queryStep: String?

    @Option(name: [.customShort("r"), .long], help: "Requests per second (open loop), or 'max' for closed loop.")
    var rate: String?

    @Option(help: "Ramped rate, e.g. 10s:1000,30s:5000,10s:0 (each stage linear from the previous rate).")
    var stages: String?

    @Option(name: [.customShort("c"), .long], help: "Keep-alive connections.")
    var connections: Int = 32

    @Option(
        name: [.customShort("t"), .long],
        help: "Client threads, each with its share of the connections (default: the cores this process may use).")
    var threads: Int?

    @Option(name: [.customShort("d"), .long], help: "Measured duration, e.g. 30s or 1m30s.")
    var duration: String?

    @Option(help: "Warm-up before the measured window: traffic is sent but not recorded.")
    var warmup: String = "0s"

    @Option(help: "Per-request timeout.")
    var timeout: String = "5s"

    @Option(
        name: .customLong("timer-slack"),
        help: "Coalesce send wake-ups to at most one per this interval (e.g. 200us): less client CPU, more send lag.")
    var timerSlack: String = "0s"

    @Option(
        help: ArgumentHelp(
            "How plain HTTP is sent: sockets (raw sockets, the default on Linux) or nio.", visibility: .hidden))
    var io: String = "sockets"

    @Flag(name: .customLong("no-keepalive"), help: "Open a new connection for every request.")
    var noKeepAlive = false

    @Flag(name: [.customShort("k"), .long], help: "Accept any TLS certificate (self-signed test servers).")
    var insecure = false

    @Option(name: [.customShort("X"), .long], help: "HTTP method.")
    var method: String = "GET"

    @Option(name: [.customShort("H"), .customLong("header")], help: "A request header 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(help: "Request body: text, or @FILE to read it from a file.")
    var body: String?

    @Option(help: "Write the result as JSON (schema in docs/load-json.md).")
    var json: String?

    @Option(help: "Write the corrected latency distribution in HdrHistogram's .hgrm text format.")
    var hgrm: String?

    @Option(help: "Write the per-second series as CSV.")
    var csv: String?

    @Option(
        name: .customLong("threshold"),
        help: "A pass/fail rule, e.g. 'p99<50ms', 'error_rate<0.1%', 'rate>=0.95*target' (repeatable).")
    var thresholds: [String] = []

    @Flag(name: [.customShort("q"), .long], help: "No live progress.")
    var quiet = false

    func run() async throws {
        let options = try makeOptions()
        if let promql { try checkPromQL(promql, options: options) }
        // Connections were checked against the hard limit on open files; let this process use it.
        MachineLimits.raiseOpenFilesLimit()
        let parsedThresholds = try thresholds.map(Threshold.init(parsing:))
        if options.arrival == .closedLoop,
            parsedThresholds.contains(where: { if case .targetRate = $0.limit { true } else { false } })
        {
            throw UserError("--threshold with 'target' needs an open-loop run; give --rate or --stages")
        }
        let engine = LoadEngine(options: options)
        let interrupts = InterruptHandler { _ in engine.stop() }
        defer { interrupts.cancel() }

        let quiet = self.quiet
        let run = try await engine.run { progress in
            guard !quiet else { return }
            Terminal.progress(Self.progressLine(progress))
        }
        if !quiet { Terminal.endProgress() }

        var result = run.result
        result.thresholds = try parsedThresholds.map { try $0.evaluate(result) }
        print(LoadSummary.render(result))
        if let json { try LoadFiles.write(try LoadFiles.json(result), to: json) }
        if let hgrm { try LoadFiles.write(Data(LoadFiles.hgrm(run.latency).utf8), to: hgrm) }
        if let csv { try LoadFiles.write(Data(LoadFiles.seriesCSV(result).utf8), to: csv) }
        if result.thresholds.contains(where: { !$0.passed }) {
            throw ExitStatus(code: Threshold.failureExitCode)
        }
    }

    static func progressLine(_ progress: LoadProgress) -> String {
        let clock = "\(DurationText.seconds(progress.elapsed))/\(DurationText.seconds(progress.total))"
        if progress.inWarmup { return "  \(clock)  warming up" }
        // A second without responses has no p99: "0µs" would read as a very fast second.
        let p99 = progress.rate > 0 ? DurationText.micros(progress.p99) : "- (no responses)"
        return "  \(clock)  rate \(NumberText.rate(progress.rate))/s  p99 \(p99)  errors \(progress.errors)"
    }

    func makeOptions() throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: url))
        if let problem = HTTPField.methodProblem(method) { throw UserError("-X: " + problem) }
        var request = LoadOptions.Request(method: method.uppercased(), path: options.target.pathAndQuery)
        guard connections >= 1 else { throw UserError("--connections must be at least 1") }
        let limits = MachineLimits.current
        guard connections <= limits.connections else {
            throw UserError(
                "--connections \(connections) is too many: \(limits.connectionsReason); at most "
                    + MessageText.grouped(limits.connections))
        }
        options.connections = connections
        let threads = self.threads ?? LoadOptions.defaultThreads
        guard threads >= 1 else { throw UserError("--threads must be at least 1") }
        guard threads <= InputLimits.threads else {
            throw UserError("--threads must be at most \(MessageText.grouped(InputLimits.threads))")
        }
        options.threads = threads
        options.keepAlive = !noKeepAlive
        options.insecure = insecure
        options.timeoutNanoseconds = try DurationText.nanoseconds(timeout, what: "--timeout")
        guard options.timeoutNanoseconds > 0 else { throw UserError("--timeout must be more than 0") }
        options.warmupNanoseconds = try DurationText.nanoseconds(warmup, what: "--warmup")
        options.timerSlackNanoseconds = try DurationText.nanoseconds(timerSlack, what: "--timer-slack")
        guard io == "sockets" || io == "nio" else {
            throw UserError("--io must be sockets or nio, not \(MessageText.quoted(io))")
        }
        options.directSockets = io == "sockets"
        request.headers = try headers.map { line in
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw UserError("-H \(MessageText.quoted(line)): write a header as 'Name: value'")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            if let problem = HTTPField.headerProblem(name: name, value: value) { throw UserError("-H: " + problem) }
            return (name, value)
        }
        if let body {
            if body.hasPrefix("@") {
                do {
                    request.body = Array(try InputFile.read(String(body.dropFirst())))
                } catch let error as UserError {
                    throw UserError("--body: " + error.message)
                }
            } else {
                request.body = Array(body.utf8)
            }
        }
        options.requests = [request]
        if options.target.isRedis {
            guard let mix = Workload.KeyValue.Mix(rawValue: mix.lowercased()) else {
                throw UserError("--mix \(MessageText.quoted(mix)) is not one of ycsb-a, ycsb-b, ycsb-c")
            }
            guard records >= 1 else { throw UserError("--records must be at least 1") }
            guard records <= InputLimits.rows else {
                throw UserError("--records must be at most \(MessageText.grouped(InputLimits.rows))")
            }
            guard valueSize >= 1 else { throw UserError("--value-size must be at least 1") }
            guard valueSize <= 512 * 1_048_576 else {
                throw UserError("--value-size must be at most 536,870,912 bytes (512Mi), Redis's limit for a value")
            }
            guard pipeline >= 1 else { throw UserError("--pipeline must be at least 1") }
            guard pipeline <= InputLimits.pipeline else {
                throw UserError("--pipeline must be at most \(MessageText.grouped(InputLimits.pipeline))")
            }
            options.keyValue = Workload.KeyValue(mix: mix, records: records, valueSize: valueSize, pipeline: pipeline)
            options.loadsRecords = !noLoad
        }
        if options.target.isMessaging {
            options.messaging = try messagingOptions(headers: request.headers, target: options.target)
            if let queueType {
                guard options.target.isAMQP, TargetURL.queueTypes.contains(queueType) else {
                    throw UserError(
                        "--queue-type is AMQP's, one of \(TargetURL.queueTypes.joined(separator: ", "))")
                }
                options.target.queueType = queueType
            }
        }
        if options.target.sqlFamily != nil {
            guard let transaction = Workload.SQL.Transaction(rawValue: transaction.lowercased()) else {
                let names = Workload.SQL.Transaction.allCases.map(\.rawValue).joined(separator: ", ")
                throw UserError("--transaction \(MessageText.quoted(self.transaction)) is not one of \(names)")
            }
            guard scale >= 1 else { throw UserError("--scale must be at least 1") }
            guard scale <= InputLimits.scale else {
                throw UserError("--scale must be at most \(MessageText.grouped(InputLimits.scale)) (about 1.5 TB)")
            }
            guard rows >= 100 else { throw UserError("--rows must be at least 100") }
            guard rows <= InputLimits.rows else {
                throw UserError("--rows must be at most \(MessageText.grouped(InputLimits.rows))")
            }
            options.sql = Workload.SQL(transaction: transaction, scale: scale, rows: rows)
            options.loadsRecords = !noLoad
        }

        if let stages {
            guard rate == nil, duration == nil else {
                throw UserError("--stages sets the rate and the duration; leave out --rate and --duration")
            }
            let schedule = try Self.parseStages(stages)
            guard options.warmupNanoseconds < schedule.totalNanoseconds else {
                throw UserError("--warmup is as long as the stages; nothing would be measured")
            }
            options.durationNanoseconds = schedule.totalNanoseconds - options.warmupNanoseconds
            options.arrival = .openLoop(schedule)
        } else {
            options.durationNanoseconds = try DurationText.nanoseconds(duration ?? "10s", what: "--duration")
            guard options.durationNanoseconds > 0 else { throw UserError("--duration must be more than 0") }
            let total = options.warmupNanoseconds + options.durationNanoseconds
            switch rate?.lowercased() {
            case nil, "max":
                options.arrival = .closedLoop
            case let text?:
                let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
                guard let value = Double(number), !value.isNaN else {
                    throw UserError(
                        "--rate \(MessageText.quoted(text)) is not a number; write --rate 1000 or --rate max")
                }
                guard value > 0 else { throw UserError("--rate must be more than 0 (or 'max' for closed loop)") }
                guard value <= InputLimits.rate else {
                    throw UserError("--rate must be at most \(MessageText.grouped(Int(InputLimits.rate)))/s")
                }
                options.arrival = .openLoop(.constant(rate: value, nanoseconds: total))
            }
        }
        if let promql {
            var query = try promQLRequest(promql, options: options)
            query.headers = request.headers
            options.requests = [query]
            options.checksQueryStatus = true
        } else if queryRange != nil || queryStep != nil {
            throw UserError("--query-range and --query-step go with --promql")
        }
        return options
    }

    /// The NATS options as a messaging workload, checked as the experiment file's keys are.
    func messagingOptions(headers: [(name: String, value: String)], target: TargetURL) throws -> Workload.Messaging {
        let mqtt = target.isMQTT
        let amqp = target.isAMQP
        for (flag, value) in [
            ("--topics", topics), ("--producers", producers), ("--subscriptions", subscriptions),
            ("--consumers", consumers), ("--in-flight", inFlight),
        ] {
            guard value >= 1 else { throw UserError("\(flag) must be at least 1") }
            guard value <= 10_000 else { throw UserError("\(flag) must be at most 10,000") }
        }
        guard messageSize >= Workload.Messaging.minimumMessageSize, messageSize <= 64 * 1_048_576 else {
            throw UserError(
                "--message-size must be between 24 (the stamp of producer, sequence and send time) and 67,108,864")
        }
        if let consumerRate, !(consumerRate > 0 && consumerRate <= InputLimits.rate) {
            throw UserError("--consumer-rate must be more than 0")
        }
        if mqtt {
            guard (0...2).contains(qos) else { throw UserError("--qos must be 0, 1 or 2") }
            guard !jetstream, headers.isEmpty else { throw UserError("--jetstream and --header are NATS only") }
            guard Workload.Messaging.isMQTTTopic(subjectPrefix) else {
                throw UserError(
                    "--subject-prefix \(MessageText.quoted(subjectPrefix)) is not an MQTT topic to publish to: "
                        + "no + or #, not starting with $")
            }
        } else if amqp {
            guard !jetstream, headers.isEmpty else { throw UserError("--jetstream and --header are NATS only") }
            guard (1...65_535).contains(prefetch) else { throw UserError("--prefetch must be between 1 and 65,535") }
            guard Workload.Messaging.isAMQPName(subjectPrefix) else {
                throw UserError(
                    "--subject-prefix \(MessageText.quoted(subjectPrefix)) is not an exchange name to publish to: "
                        + "letters, digits, - _ . and :, not starting with amq.")
            }
        } else if !Workload.Messaging.isSubject(subjectPrefix) {
            throw UserError(
                "--subject-prefix \(MessageText.quoted(subjectPrefix)) is not a subject to publish to: "
                    + "dot-separated tokens, no spaces, no * or >")
        }
        let limits = MachineLimits.current
        let connections = topics * (producers + subscriptions * consumers)
        guard connections <= limits.connections else {
            throw UserError(
                "--topics × (--producers + --subscriptions × --consumers) is \(MessageText.grouped(connections)) "
                    + "connections: \(limits.connectionsReason); at most \(MessageText.grouped(limits.connections))")
        }
        return Workload.Messaging(
            topics: topics, producersPerTopic: producers, subscriptionsPerTopic: subscriptions,
            consumersPerSubscription: consumers, messageSize: messageSize, inFlight: inFlight,
            subjectPrefix: subjectPrefix, headers: headers.map { Workload.Header(name: $0.name, value: $0.value) },
            consumerRate: consumerRate, jetstream: jetstream, qos: mqtt ? qos : nil, prefetch: amqp ? prefetch : nil,
            persistent: amqp ? !transient : nil)
    }

    /// `10s:1000,30s:5000,10s:0` into a ramp starting from 0.
    static func parseStages(_ text: String) throws -> ArrivalSchedule {
        var steps: [(nanoseconds: Int64, rate: Double)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2 else {
                throw UserError(
                    "--stages \(MessageText.quoted(String(part))): write each stage as DURATION:RATE, e.g. 30s:5000")
            }
            let shown = "--stages \(MessageText.quoted(String(part)))"
            let nanos = try DurationText.nanoseconds(String(pieces[0]), what: shown)
            guard let rate = Double(pieces[1]), rate >= 0, rate.isFinite else {
                throw UserError(
                    "\(shown): \(MessageText.quoted(String(pieces[1]))) is not a rate (requests per second, 0 or more)")
            }
            guard rate <= InputLimits.rate else {
                throw UserError("\(shown): a rate must be at most \(MessageText.grouped(Int(InputLimits.rate)))/s")
            }
            guard nanos > 0 else { throw UserError("\(shown): a stage must last more than 0s") }
            steps.append((nanos, rate))
        }
        guard !steps.isEmpty else { throw UserError("--stages is empty; write e.g. 10s:1000,30s:5000,10s:0") }
        guard steps.reduce(0, { $0 + $1.nanoseconds }) <= InputLimits.durationNanoseconds else {
            throw UserError("--stages last more than a week in total; at most 168h")
        }
        let schedule = ArrivalSchedule.ramp(steps)
        guard schedule.totalArrivals >= 1 else {
            throw UserError("--stages \(MessageText.quoted(text)) sends no request")
        }
        return schedule
    }
}
