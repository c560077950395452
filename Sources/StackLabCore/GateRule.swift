import Foundation

/// One rule of the regression gate (`stacklab compare --fail-on`, an experiment's `gate:`): how far a metric may
/// move from the baseline run to the candidate before the gate fails, e.g. `p99>+10%`, `p99>+2ms`, `rate<-5%`.
///
/// `>` fails on an increase beyond the tolerance, `<` on a decrease beyond it. A tolerance is relative to the
/// baseline (`%`) or absolute in the metric's unit (`ms`, `us`, `s` for latency; `$` for cost; `/s` for rate;
/// `pp`, percentage points, for the error rate). The statistics that decide whether a move is real are
/// `RegressionGate`'s (docs/ci-gate.md).
public struct GateRule: Sendable, Equatable, Codable {
    public enum Metric: String, Sendable, CaseIterable, Codable {
        case p50, p90, p95, p99
        case costPerMillion = "cost_per_million"
        /// The achieved rate, requests/s.
        case rate
        /// Failed requests over all requests, 0...1.
        case errorRate = "error_rate"
    }

    public enum Tolerance: Sendable, Equatable, Codable {
        /// A share of the baseline's median: 0.1 is 10%.
        case relative(Double)
        /// In the metric's unit: microseconds, dollars per million requests, requests/s, or a fraction (error rate).
        case absolute(Double)
    }

    /// The rule as written, without spaces: `p99>+10%`.
    public var expression: String
    public var metric: Metric
    /// True for `>` (an increase fails), false for `<` (a decrease fails).
    public var failsOnIncrease: Bool
    /// Never negative; its direction is ``failsOnIncrease``.
    public var tolerance: Tolerance

    /// The rules a gate uses when neither `--fail-on` nor the experiment's `gate:` gives any.
    ///
    /// Wide enough for a shared machine: there the same stack's medians moved between runs minutes apart by up to
    /// a third, every trial of a run together (docs/ci-gate.md), which no test over trials can tell from a change.
    public static let defaults: [GateRule] = ["p50>+25%", "p99>+25%", "cost_per_million>+25%", "rate<-5%"].map {
        try! GateRule(parsing: $0)
    }

    /// What a rule may look like, for messages.
    public static let grammar =
        "write METRIC>+TOLERANCE or METRIC<-TOLERANCE, e.g. 'p99>+10%', 'p99>+2ms', 'cost_per_million>+5%', "
        + "'rate<-5%', 'error_rate>+0.5pp'; metrics: " + Metric.allCases.map(\.rawValue).joined(separator: ", ")

    /// Parses one rule.
    ///
    /// - Throws: `UserError` whose message starts with the rule quoted and says what is allowed.
    public init(parsing text: String) throws {
        let expression = text.filter { !$0.isWhitespace }
        let shown = MessageText.quoted(text)
        guard let operatorIndex = expression.firstIndex(where: { $0 == ">" || $0 == "<" }) else {
            throw UserError("\(shown): no > or <; \(Self.grammar)")
        }
        let name = expression[..<operatorIndex].lowercased()
        guard let metric = Metric(rawValue: name) else {
            let known = Metric.allCases.map(\.rawValue)
            let hint = NameSuggestion.nearest(to: name, among: known).map { "did you mean '\($0)'? " } ?? ""
            throw UserError("\(shown): unknown metric \(MessageText.quoted(name)); \(hint)\(Self.grammar)")
        }
        var value = expression[expression.index(after: operatorIndex)...]
        if value.first == "=" { value = value.dropFirst() }
        let increase = expression[operatorIndex] == ">"
        if let sign = value.first, sign == "+" || sign == "-" {
            guard (sign == "+") == increase else {
                throw UserError(
                    "\(shown): the sign must follow the comparison (> with +, < with -): '\(name)>+10%' fails on a "
                        + "rise of more than 10%, '\(name)<-10%' on a fall of more than 10%")
            }
            value = value.dropFirst()
        }
        self.expression = expression
        self.metric = metric
        self.failsOnIncrease = increase
        self.tolerance = try Self.tolerance(String(value), metric: metric, shown: shown)
    }

    /// The tolerance's text without its sign: `10%`, `2ms`, `5%` or `0.5pp`.
    private static func tolerance(_ value: String, metric: Metric, shown: String) throws -> Tolerance {
        func number(_ text: Substring) throws -> Double {
            guard let number = Double(text), number.isFinite, number >= 0 else {
                throw UserError("\(shown): \(MessageText.quoted(value)) is not a tolerance; \(grammar)")
            }
            return number
        }
        if value.hasSuffix("%") {
            guard metric != .errorRate else {
                throw UserError(
                    "\(shown): write the error rate's tolerance in percentage points, e.g. 'error_rate>+0.5pp' "
                        + "(0.5% of all requests more than the baseline)")
            }
            return .relative(try number(value.dropLast()) / 100)
        }
        switch metric {
        case .p50, .p90, .p95, .p99:
            guard value.contains(where: \.isLetter) else {
                throw UserError("\(shown): \(MessageText.quoted(value)) has no unit; write e.g. +10% or +2ms")
            }
            let nanoseconds = try DurationText.nanoseconds(value, what: shown)
            return .absolute(Double(nanoseconds) / 1_000)
        case .costPerMillion:
            let digits = value.hasPrefix("$") ? value.dropFirst() : value.hasSuffix("$") ? value.dropLast() : nil
            guard let digits else {
                throw UserError("\(shown): write the cost's tolerance as +5% or in dollars per million, e.g. +$0.01")
            }
            return .absolute(try number(digits))
        case .rate:
            guard value.hasSuffix("/s") else {
                throw UserError("\(shown): write the rate's tolerance as -5% or in requests/s, e.g. -50/s")
            }
            return .absolute(try number(value.dropLast(2)))
        case .errorRate:
            guard value.hasSuffix("pp") else {
                throw UserError("\(shown): write the error rate's tolerance in percentage points, e.g. +0.5pp")
            }
            return .absolute(try number(value.dropLast(2)) / 100)
        }
    }
}
