import Yams

extension SpecReader {
    static let workloadKeys =
        [
            "protocol", "path", "method", "headers", "body", "requests", "rate", "stages", "rates", "capacity",
            "connections",
            "keepalive", "threads", "duration", "warmup", "timeout", "mix", "records", "value_size", "pipeline",
            "transaction", "scale", "rows", "queries",
        ] + messagingKeys
    static let httpOnlyKeys = ["path", "method", "headers", "body", "requests"]
    static let keyValueKeys = ["mix", "records", "value_size", "pipeline"]
    static let sqlKeys = ["transaction", "scale", "rows"]
    static let requestKeys = ["path", "method", "headers", "body", "weight"]
    static let arrivalKeys = ["rate", "stages", "rates", "capacity"]

    /// `workload:`: protocol, one request or a weighted mix, exactly one arrival model, and timing.
    mutating func workload(_ node: Node, _ keyPath: String) -> Workload? {
        guard
            let fields = fields(
                node, keyPath, allowed: Self.workloadKeys, expected: "a workload, e.g. { path: /json, rate: 1000/s }")
        else { return nil }

        var wireProtocol = Workload.WireProtocol.http
        if let node = fields["protocol"],
            let chosen = choice(node, fields.path("protocol"), of: Workload.WireProtocol.self, what: "protocol")
        {
            wireProtocol = chosen
        }
        var requests: [Workload.Request]? = []
        var keyValue: Workload.KeyValue?
        var sql: Workload.SQL?
        let isSQL = wireProtocol.isSQL
        if !wireProtocol.isMessaging {
            for key in Self.messagingKeys where fields[key] != nil {
                report(fields.keyNode(key), fields.path(key), "only with protocol: nats, mqtt or amqp")
            }
        } else {
            for key in Self.messagingKeys + ["headers"] where fields[key] != nil {
                guard let only = Self.messagingKeyProtocols[key], only != wireProtocol else { continue }
                report(fields.keyNode(key), fields.path(key), "only with protocol: \(only.rawValue)")
            }
        }
        var messaging: Workload.Messaging?
        var queries: [PromQLQuery]?
        if wireProtocol != .promql, let node = fields.keyNode("queries") {
            report(node, fields.path("queries"), "only with protocol: promql")
        }
        if !isSQL {
            for key in Self.sqlKeys where fields[key] != nil {
                report(fields.keyNode(key), fields.path(key), "only with protocol: sql, postgres or mysql")
            }
        }
        if isSQL {
            for key in Self.httpOnlyKeys + Self.keyValueKeys where fields[key] != nil {
                report(
                    fields.keyNode(key), fields.path(key),
                    "not a key of protocol \(wireProtocol.rawValue); it takes transaction, scale, rows")
            }
            sql = self.sql(fields)
            if sql == nil { requests = nil }
        } else if wireProtocol.isMessaging {
            let notMessaging =
                Self.httpOnlyKeys.filter { $0 != "headers" } + Self.keyValueKeys + ["connections", "keepalive"]
            let taken = (Self.messagingKeys + ["headers"]).filter {
                Self.messagingKeyProtocols[$0].map { $0 == wireProtocol } ?? true
            }
            for key in notMessaging where fields[key] != nil {
                report(
                    fields.keyNode(key), fields.path(key),
                    "not a key of protocol \(wireProtocol.rawValue); it takes \(taken.joined(separator: ", "))")
            }
            messaging = self.messaging(fields, wireProtocol: wireProtocol)
            if messaging == nil { requests = nil }
        } else if wireProtocol == .redis {
            for key in Self.httpOnlyKeys where fields[key] != nil {
                report(
                    fields.keyNode(key), fields.path(key),
                    "an http key; protocol redis takes mix, records, value_size, pipeline")
            }
            keyValue = self.keyValue(fields)
            if keyValue == nil { requests = nil }
        } else if wireProtocol == .promql {
            for key in Self.httpOnlyKeys + Self.keyValueKeys where fields[key] != nil {
                report(fields.keyNode(key), fields.path(key), "not a key of protocol promql; it takes queries")
            }
            queries = promQLQueries(fields)
            if queries == nil { requests = nil }
        } else {
            for key in Self.keyValueKeys where fields[key] != nil {
                report(fields.keyNode(key), fields.path(key), "only with protocol: redis")
            }
            if wireProtocol == .http { requests = self.requests(fields) }
        }
        let arrival = self.arrival(fields)
        let connections =
            messaging?.producers ?? fields["connections"].map { self.connections($0, fields.path("connections")) }
            ?? 32
        let threads = fields["threads"].flatMap {
            wholeNumber($0, fields.path("threads"), minimum: 1, maximum: InputLimits.threads)
        }
        let keepAlive = fields["keepalive"].map { bool($0, fields.path("keepalive")) }
        let warmup = fields["warmup"].map { duration($0, fields.path("warmup")) } ?? 0
        let timeout = fields["timeout"].map { positiveDuration($0, fields.path("timeout")) } ?? 5_000_000_000

        var measured: Int64? = 30_000_000_000
        if case .ramp(let stages) = arrival {
            if let node = fields.keyNode("duration") {
                report(node, fields.path("duration"), "not used with stages; the stages set the length of the run")
            }
            // Each stage is at most a week; their sum is kept to one too (and never overflows).
            let total = stages.reduce(Int64(0)) { min($0 + $1.nanoseconds, InputLimits.durationNanoseconds + 1) }
            if total > InputLimits.durationNanoseconds {
                report(
                    fields["stages"], fields.path("stages"), "the stages last more than a week in total; at most 168h")
                return nil
            }
            if let warmup, warmup >= total {
                let message = "is as long as the stages or longer; nothing would be measured"
                report(fields["warmup"], fields.path("warmup"), message)
            }
            measured = total - (warmup ?? 0)
        } else if let node = fields["duration"] {
            measured = positiveDuration(node, fields.path("duration"))
        }

        guard let requests, let arrival, let connections, let measured, let warmup, let timeout, keepAlive != .some(nil)
        else { return nil }
        var workload = Workload(
            wireProtocol: wireProtocol, requests: requests, arrival: arrival, connections: connections,
            threads: threads, durationNanoseconds: measured, warmupNanoseconds: warmup, timeoutNanoseconds: timeout,
            keyValue: keyValue)
        workload.sql = sql
        workload.messaging = messaging
        workload.queries = queries
        workload.keepAlive = keepAlive ?? nil
        if case .sweep = arrival, case .sequence(let items) = fields["rates"], items.contains(where: Self.isMax) {
            workload.includesClosedLoop = true
        }
        return workload
    }

    /// `mix`, `records`, `value_size` and `pipeline` of a redis workload, each with its default.
    mutating func keyValue(_ fields: SpecFields) -> Workload.KeyValue? {
        var mix: Workload.KeyValue.Mix? = .ycsbA
        if let node = fields["mix"] {
            mix = choice(node, fields.path("mix"), of: Workload.KeyValue.Mix.self, what: "mix")
        }
        let records =
            fields["records"].map { wholeNumber($0, fields.path("records"), minimum: 1, maximum: InputLimits.rows) }
            ?? 100_000
        let valueSize =
            fields["value_size"].map {
                wholeNumber($0, fields.path("value_size"), minimum: 1, maximum: 512 * 1_048_576)
            } ?? 100
        let pipeline =
            fields["pipeline"].map {
                wholeNumber($0, fields.path("pipeline"), minimum: 1, maximum: InputLimits.pipeline)
            } ?? 1
        guard let mix, let records, let valueSize, let pipeline else { return nil }
        return Workload.KeyValue(mix: mix, records: records, valueSize: valueSize, pipeline: pipeline)
    }

    /// `transaction`, `scale` and `rows` of a SQL workload; `scale` only for the pgbench transactions, `rows`
    /// only for read-write.
    mutating func sql(_ fields: SpecFields) -> Workload.SQL? {
        var transaction: Workload.SQL.Transaction? = .tpcb
        if let node = fields["transaction"] {
            transaction = choice(
                node, fields.path("transaction"), of: Workload.SQL.Transaction.self, what: "transaction")
        }
        let scale =
            fields["scale"].map { wholeNumber($0, fields.path("scale"), minimum: 1, maximum: InputLimits.scale) } ?? 1
        let rows =
            fields["rows"].map { wholeNumber($0, fields.path("rows"), minimum: 100, maximum: InputLimits.rows) }
            ?? 100_000
        if transaction == .readWrite, let node = fields.keyNode("scale") {
            report(node, fields.path("scale"), "not used by read-write; give rows: N for the sbtest1 table")
        }
        if let transaction, transaction != .readWrite, let node = fields.keyNode("rows") {
            report(
                node, fields.path("rows"), "not used by \(transaction.rawValue); give scale: N (100,000 accounts each)")
        }
        guard let transaction, let scale, let rows else { return nil }
        return Workload.SQL(transaction: transaction, scale: scale, rows: rows)
    }

    /// `path` (with `method`, `headers`, `body`) as one request, or `requests` as a weighted mix; not both.
    mutating func requests(_ fields: SpecFields) -> [Workload.Request]? {
        switch (fields["path"], fields["requests"]) {
        case (nil, nil):
            if !fields.suggested.contains("requests") {
                reportMissing(fields, "path", "give path: /json, or requests: [...] for a weighted mix")
            }
            return nil
        case (.some, .some):
            report(fields.keyNode("requests"), fields.path("requests"), "give either path or requests, not both")
            return nil
        case (.some, nil):
            return request(fields).map { [$0] }
        case (nil, .some(let node)):
            for key in ["method", "headers", "body"] where fields[key] != nil {
                report(
                    fields.keyNode(key), fields.path(key),
                    "with a requests mix, set \(key) in each entry of \(fields.path("requests"))")
            }
            guard
                let items = list(node, fields.path("requests"), example: "[{ path: /json, weight: 3 }, { path: /db }]")
            else { return nil }
            if items.isEmpty {
                report(node, fields.path("requests"), "empty; list at least one request, e.g. [{ path: /json }]")
                return nil
            }
            var requests: [Workload.Request] = []
            for (index, item) in items.enumerated() {
                let path = Self.path(fields.path("requests"), index: index)
                guard
                    let itemFields = self.fields(
                        item, path, allowed: Self.requestKeys, expected: "a request, e.g. { path: /json, weight: 1 }")
                else { continue }
                if itemFields["path"] == nil {
                    reportMissing(itemFields, "path", "e.g. path: /json")
                    continue
                }
                if let request = request(itemFields) { requests.append(request) }
            }
            return requests.count == items.count ? requests : nil
        }
    }

    /// One request from a mapping whose keys were checked: `path`, and optionally `method`, `headers`, `body`,
    /// `weight`.
    mutating func request(_ fields: SpecFields) -> Workload.Request? {
        var path: String?
        if let node = fields["path"], let text = text(node, fields.path("path")) {
            if text.hasPrefix("/") && !text.contains(where: \.isWhitespace) && HTTPField.isRequestTarget(text) {
                path = text
            } else {
                report(
                    node, fields.path("path"),
                    "must start with '/' and hold no spaces, e.g. /json; found \(MessageText.quoted(text))")
            }
        }
        var method: String? = "GET"
        if let node = fields["method"], let text = text(node, fields.path("method")) {
            method = text.uppercased()
            if let problem = HTTPField.methodProblem(text) {
                report(node, fields.path("method"), problem)
                method = nil
            }
        }
        let headers = fields["headers"].map { self.headers($0, fields.path("headers")) } ?? []
        let body = fields["body"].flatMap { text($0, fields.path("body")) }
        let weight =
            fields["weight"].map { wholeNumber($0, fields.path("weight"), minimum: 1, maximum: InputLimits.weight) }
            ?? 1
        guard let path, let method, let headers, let weight else { return nil }
        return Workload.Request(path: path, method: method, headers: headers, body: body, weight: weight)
    }

    mutating func headers(_ node: Node, _ keyPath: String) -> [Workload.Header]? {
        guard
            let fields = fields(
                node, keyPath, allowed: nil,
                expected: "a mapping of header names to values, e.g. { Accept: text/plain }")
        else { return nil }
        var headers: [Workload.Header] = []
        for name in fields.keys {
            guard HTTPField.isToken(name) else {
                report(
                    fields.keyNode(name), keyPath, HTTPField.headerProblem(name: name, value: "") ?? "not a header name"
                )
                continue
            }
            guard let value = text(fields[name]!, fields.path(name)) else { continue }
            if let problem = HTTPField.headerProblem(name: name, value: value) {
                report(fields[name]!, fields.path(name), problem)
                continue
            }
            headers.append(Workload.Header(name: name, value: value))
        }
        return headers.count == fields.keys.count ? headers : nil
    }

    /// Exactly one of `rate` (a number, `N/s` or `max`), `stages`, `rates` (increasing; `max` adds a closed loop;
    /// `search` is a capacity search with its defaults) and `capacity` (a search, ``CapacitySearch``).
    mutating func arrival(_ fields: SpecFields) -> Workload.Arrival? {
        let given = fields.keys.filter(Self.arrivalKeys.contains)
        guard let first = given.first else {
            if fields.suggested.isDisjoint(with: Self.arrivalKeys) {
                reportMissing(
                    fields, "rate", "give rate: 1000/s, rate: max (closed loop), stages, rates or capacity")
            }
            return nil
        }
        guard given.count == 1 else {
            let names = given.map { "'\($0)'" }.joined(separator: " and ")
            report(
                fields.keyNode(given[1]), fields.path(given[1]),
                "give only one of rate, stages, rates and capacity; this workload has \(names)")
            return nil
        }
        let node = fields[first]!
        let keyPath = fields.path(first)
        switch first {
        case "rate":
            if Self.isMax(node) { return .closedLoop }
            return rate(node, keyPath).map { .constant(rate: $0) }
        case "stages":
            return stages(node, keyPath).map { .ramp(stages: $0) }
        case "capacity":
            return capacitySearch(node, keyPath).map { .search($0) }
        default:
            if case .scalar(let scalar) = node, scalar.string.lowercased() == "search" {
                return .search(CapacitySearch())
            }
            guard let items = list(node, keyPath, example: "[500, 1000, 2000]") else { return nil }
            if items.isEmpty {
                report(node, keyPath, "empty; list the rates to try, e.g. [500, 1000, 2000]")
                return nil
            }
            var rates: [Double] = []
            var closedLoop = false
            for (index, item) in items.enumerated() {
                if Self.isMax(item) {
                    if closedLoop { report(item, Self.path(keyPath, index: index), "max is listed twice") }
                    closedLoop = true
                    continue
                }
                guard let rate = rate(item, Self.path(keyPath, index: index)) else { continue }
                if let previous = rates.last, rate <= previous {
                    report(item, Self.path(keyPath, index: index), "list the rates in increasing order")
                }
                rates.append(rate)
            }
            guard rates.count + (closedLoop ? 1 : 0) == items.count else { return nil }
            return rates.isEmpty ? .closedLoop : .sweep(rates: rates)
        }
    }

    /// `max`, the closed loop, as a `rate` or an entry of `rates`.
    static func isMax(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.string.lowercased() == "max"
    }

    /// `stages:`, a list of `{ duration, rate }`, each ramping linearly from the previous rate (0 before the first).
    mutating func stages(_ node: Node, _ keyPath: String) -> [Workload.Stage]? {
        guard let items = list(node, keyPath, example: "[{ duration: 10s, rate: 1000 }, { duration: 30s, rate: 5000 }]")
        else { return nil }
        if items.isEmpty {
            report(node, keyPath, "empty; list at least one stage, e.g. [{ duration: 30s, rate: 1000 }]")
            return nil
        }
        var stages: [Workload.Stage] = []
        for (index, item) in items.enumerated() {
            let path = Self.path(keyPath, index: index)
            guard
                let fields = self.fields(
                    item, path, allowed: ["duration", "rate"], expected: "a stage, e.g. { duration: 30s, rate: 1000 }")
            else { continue }
            let duration = required(fields, "duration", example: "e.g. duration: 30s").flatMap {
                positiveDuration($0, fields.path("duration"))
            }
            let rate = required(fields, "rate", example: "e.g. rate: 1000").flatMap {
                self.rate($0, fields.path("rate"), allowZero: true)
            }
            if let duration, let rate { stages.append(Workload.Stage(nanoseconds: duration, rate: rate)) }
        }
        guard stages.count == items.count else { return nil }
        if !stages.contains(where: { $0.rate > 0 }) {
            report(node, keyPath, "every stage has rate 0; nothing would be sent")
            return nil
        }
        return stages
    }

    /// A duration that must be more than 0.
    mutating func positiveDuration(_ node: Node, _ keyPath: String) -> Int64? {
        guard let nanoseconds = duration(node, keyPath) else { return nil }
        guard nanoseconds > 0 else {
            report(node, keyPath, "must be more than 0")
            return nil
        }
        return nanoseconds
    }
}

extension SpecReader {
    /// `connections:`, at least 1 and at most what this machine lets one process open.
    mutating func connections(_ node: Node, _ keyPath: String) -> Int? {
        let limits = MachineLimits.current
        return wholeNumber(node, keyPath, minimum: 1, maximum: limits.connections, why: limits.connectionsReason)
    }
}
