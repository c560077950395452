/// A pass/fail rule on a load result, as k6 has: `p99<50ms`, `error_rate<0.1%`, `rate>=0.95*target`.
public struct Threshold: Sendable, Equatable {
    /// Exit code when any threshold fails, the same as k6's.
    public static let failureExitCode: Int32 = 99

    public enum Metric: Sendable, Equatable {
        /// A percentile of corrected latency (`p99`, `max`, `mean`), or of service time (`service_p99`).
        case latency(String, service: Bool)
        case errorRate
        case rate
        case requests
        case errors
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case less = "<"
        case greater = ">"

        func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: actual < limit
            case .lessOrEqual: actual <= limit
            case .greater: actual > limit
            case .greaterOrEqual: actual >= limit
            }
        }
    }

    public enum Limit: Sendable, Equatable {
        case value(Double)
        /// A multiple of the target rate (`0.95*target`).
        case targetRate(factor: Double)
    }

    public var expression: String
    public var metric: Metric
    public var comparison: Comparison
    public var limit: Limit

    public init(expression: String, metric: Metric, comparison: Comparison, limit: Limit) {
        self.expression = expression
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }

    static let latencyNames = ["p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "max", "mean", "min"]

    /// Parses one `--threshold` expression.
    public init(parsing text: String) throws {
        let expression = text.filter { !$0.isWhitespace }
        guard
            let comparison = Comparison.allCases.first(where: { expression.contains($0.rawValue) }),
            let range = expression.range(of: comparison.rawValue)
        else {
            throw UserError(
                "--threshold \(MessageText.quoted(text)): expected METRIC<VALUE, e.g. 'p99<50ms' or 'error_rate<0.1%'")
        }
        let name = String(expression[..<range.lowerBound]).lowercased()
        let value = String(expression[range.upperBound...])
        self.expression = expression
        self.comparison = comparison
        switch name {
        case "error_rate", "errors_rate":
            self.metric = .errorRate
            if value.hasSuffix("%"), let percent = Double(value.dropLast()) {
                self.limit = .value(percent / 100)
            } else if let fraction = Double(value) {
                self.limit = .value(fraction)
            } else {
                throw UserError(
                    "--threshold \(MessageText.quoted(text)): \(MessageText.quoted(value)) is not a rate; write 0.1% or 0.001"
                )
            }
        case "rate":
            self.metric = .rate
            self.limit = try Self.rateLimit(value, text: text)
        case "requests", "errors":
            self.metric = name == "requests" ? .requests : .errors
            guard let count = Double(value) else {
                throw UserError("--threshold \(MessageText.quoted(text)): \(MessageText.quoted(value)) is not a number")
            }
            self.limit = .value(count)
        default:
            let service = name.hasPrefix("service_")
            let percentile = service ? String(name.dropFirst("service_".count)) : name
            guard Self.latencyNames.contains(percentile) else {
                throw UserError(
                    "--threshold \(MessageText.quoted(text)): unknown metric \(MessageText.quoted(name)); use p50…p99.99, max, mean, service_p99, "
                        + "error_rate, rate, requests or errors")
            }
            self.metric = .latency(percentile, service: service)
            // A bare number means milliseconds, as in k6.
            let nanos: Int64
            if let milliseconds = Double(value) {
                nanos = Int64(milliseconds * 1e6)
            } else {
                nanos = try DurationText.nanoseconds(value, what: "--threshold \(MessageText.quoted(text))")
            }
            self.limit = .value(Double(nanos) / 1_000)
        }
    }

    private static func rateLimit(_ value: String, text: String) throws -> Limit {
        if value == "target" { return .targetRate(factor: 1) }
        if value.hasSuffix("*target"), let factor = Double(value.dropLast("*target".count)) {
            return .targetRate(factor: factor)
        }
        if value.hasPrefix("target*"), let factor = Double(value.dropFirst("target*".count)) {
            return .targetRate(factor: factor)
        }
        let number = value.hasSuffix("/s") ? String(value.dropLast(2)) : value
        guard let rate = Double(number) else {
            throw UserError(
                "--threshold \(MessageText.quoted(text)): \(MessageText.quoted(value)) is not a rate; write 1000 or 0.95*target"
            )
        }
        return .value(rate)
    }

    /// Checks the threshold against a result. Latency limits and values are in microseconds.
    ///
    /// - Throws: `UserError` when the threshold names the target rate of a closed-loop run, which has none.
    public func evaluate(_ result: LoadResult) throws -> LoadResult.ThresholdOutcome {
        let actual: Double
        switch metric {
        case .latency(let name, let service):
            let summary = service ? result.serviceTime : result.latency
            actual =
                switch name {
                case "mean": summary.mean
                case "min": summary.min
                default: summary.labelled.first(where: { $0.label == name })?.micros ?? 0
                }
        case .errorRate: actual = result.errorRate
        case .rate: actual = result.achievedRate
        case .requests: actual = Double(result.requests.completed)
        case .errors: actual = Double(result.errors.total)
        }
        let limitValue: Double
        switch limit {
        case .value(let value): limitValue = value
        case .targetRate(let factor):
            guard let target = result.arrival.targetRate else {
                throw UserError(
                    "--threshold \(MessageText.quoted(expression)): a closed-loop run has no target rate; give --rate")
            }
            limitValue = factor * target
        }
        return .init(
            expression: expression, actual: actual, limit: limitValue, passed: comparison.holds(actual, limitValue))
    }
}
