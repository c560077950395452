import Foundation
import StackLabCore
import StackLabLoad
import StackLabLocal

extension LoadCommand {
    /// `--promql`: one PromQL query sent to the Prometheus-compatible HTTP API at the URL (Prometheus,
    /// VictoriaMetrics), as a `protocol: promql` workload sends it: an instant query, or with `--query-range` a
    /// range query whose range ends when the run ends. An answer whose body says `"status":"error"` counts as an
    /// error, whatever its HTTP status.
    ///
    /// The URL's path, if any, prefixes the API's (`http://127.0.0.1:8481/select/0/prometheus`).
    ///
    /// - Throws: `UserError` naming the option for a URL that is not HTTP, a method or body given with it, a range
    ///   or step that is not whole seconds, or a step without a range.
    func promQLRequest(_ expression: String, options: LoadOptions) throws -> LoadOptions.Request {
        let target = options.target
        guard !target.isRedis, !target.isMessaging, target.sqlFamily == nil else {
            throw UserError(
                "--promql needs an http:// or https:// URL of a metrics backend, e.g. http://127.0.0.1:9090")
        }
        guard method.uppercased() == "GET", body == nil else {
            throw UserError("--promql sends GET requests; leave out -X and --body")
        }
        let query = try promQLQuery(expression)
        let total = options.warmupNanoseconds + options.durationNanoseconds
        let end = Int(Date().timeIntervalSince1970) + Int(total / 1_000_000_000) + 1
        let base = target.pathAndQuery.hasSuffix("/") ? String(target.pathAndQuery.dropLast()) : target.pathAndQuery
        return LoadOptions.Request(path: base + query.path(endingAt: end))
    }

    /// Asks the backend the query once before any load, when it is on 127.0.0.1 over plain HTTP: one it cannot
    /// parse stops the command with the backend's own message rather than ending as a run full of errors.
    func checkPromQL(_ expression: String, options: LoadOptions) throws {
        let target = options.target
        guard !target.tls, ["127.0.0.1", "localhost"].contains(target.host), target.pathAndQuery == "/" else {
            return
        }
        let query = try promQLQuery(expression)
        do {
            try PromQLCheck.check([query], port: target.port, advice: "fix the query given to --promql")
        } catch let error as UserError {
            throw UserError("--promql: " + error.message)
        }
    }

    /// `--promql` with `--query-range` and `--query-step` as one query.
    ///
    /// - Throws: `UserError` for an empty query, a range or step that is not whole seconds, or a step without a range.
    func promQLQuery(_ expression: String) throws -> PromQLQuery {
        guard !expression.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UserError("--promql is empty; give a query, e.g. --promql 'rate(http_requests_total[5m])'")
        }
        let range = try queryRange.map { try Self.wholeSeconds($0, what: "--query-range") }
        let step = try queryStep.map { try Self.wholeSeconds($0, what: "--query-step") }
        if step != nil && range == nil { throw UserError("--query-step needs --query-range") }
        return PromQLQuery(name: "query", expression: expression, rangeSeconds: range, stepSeconds: step)
    }

    /// A duration option as whole seconds, at least 1.
    static func wholeSeconds(_ text: String, what: String) throws -> Int {
        let nanoseconds = try DurationText.nanoseconds(text, what: what)
        guard nanoseconds >= 1_000_000_000, nanoseconds % 1_000_000_000 == 0 else {
            throw UserError("\(what) \(MessageText.quoted(text)) must be whole seconds, at least 1s (e.g. 1h, 90s)")
        }
        return Int(nanoseconds / 1_000_000_000)
    }
}
