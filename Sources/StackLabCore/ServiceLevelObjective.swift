/// The latency and error rate a variant must stay within, as an experiment's `slo` gives them.
///
/// A rate sweep reports the highest rate at which every objective holds.
public struct ServiceLevelObjective: Sendable, Equatable, Codable {
    /// A ceiling on one percentile of corrected latency.
    public struct LatencyLimit: Sendable, Equatable, Codable {
        /// `p50`, `p90`, `p95`, `p99` or `p99.9`.
        public var percentile: String
        public var nanoseconds: Int64

        public init(percentile: String, nanoseconds: Int64) {
            self.percentile = percentile
            self.nanoseconds = nanoseconds
        }
    }

    /// The percentiles an objective may name, in the order they are listed.
    public static let percentiles = ["p50", "p90", "p95", "p99", "p99.9"]

    /// In the order of `percentiles`, whatever the order in the file.
    public var latency: [LatencyLimit]
    /// The largest fraction of requests that may fail: 0.001 is 0.1%.
    public var errorRate: Double?

    public init(latency: [LatencyLimit] = [], errorRate: Double? = nil) {
        self.latency = latency
        self.errorRate = errorRate
    }

    /// The objectives as thresholds (`p99<=20ms`, `error_rate<=0.1%`) to check a load result against.
    public var thresholds: [Threshold] {
        var thresholds = latency.map { limit in
            Threshold(
                expression: "\(limit.percentile)<=\(DurationText.micros(Double(limit.nanoseconds) / 1_000))",
                metric: .latency(limit.percentile, service: false), comparison: .lessOrEqual,
                limit: .value(Double(limit.nanoseconds) / 1_000))
        }
        if let errorRate {
            thresholds.append(
                Threshold(
                    expression: "error_rate<=\(errorRate * 100)%", metric: .errorRate, comparison: .lessOrEqual,
                    limit: .value(errorRate)))
        }
        return thresholds
    }

    /// The share of an open-loop trial's target rate it must achieve to meet the objective.
    ///
    /// A server that falls behind leaves requests unsent or queued; without this floor a trial that
    /// completed a fraction of its requests (or none, with empty percentiles) would pass on latency alone.
    public static let achievedRateFloor = 0.95

    /// The thresholds a trial is checked against: ``thresholds``, plus, for an open-loop trial, achieving
    /// ``achievedRateFloor`` of the target rate, and, for any trial, completing at least one request.
    public func thresholds(for result: LoadResult) -> [Threshold] {
        var checks = thresholds
        if result.arrival.targetRate != nil {
            checks.append(
                Threshold(
                    expression: "rate>=\(Self.achievedRateFloor)*target", metric: .rate, comparison: .greaterOrEqual,
                    limit: .targetRate(factor: Self.achievedRateFloor)))
        } else {
            checks.append(
                Threshold(expression: "requests>=1", metric: .requests, comparison: .greaterOrEqual, limit: .value(1)))
        }
        return checks
    }
}
