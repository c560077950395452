/// The Prometheus text exposition (format 0.0.4) a synthetic target serves at a whole number of seconds after it
/// started: a pure function of the shape, the target's index and those seconds, so a query's answer can be
/// checked exactly.
///
/// - counter `stacklab_synthetic_requests_total`, series `i`: `(i + 1) × seconds`;
/// - gauge `stacklab_synthetic_queue_depth`, series `i`: `(7i + seconds) mod 100`;
/// - histogram `stacklab_synthetic_latency_seconds`, histogram `j`: count `(j + 1) × seconds`, bucket `b` holds
///   `count × (b + 1) / (buckets + 1)` (whole division), sum `count / 4`.
///
/// Every series has the labels `target`, `series`, `shard` (`series mod labelCardinality`) and `gen`, the churn
/// generation: `seconds / churnPeriod` for a churning series (the first `churnShare` of every hundred), else 0.
public struct SyntheticExposition: Sendable {
    public var shape: SyntheticTargetShape
    /// The target's index, its `target` label.
    public var target: Int

    public init(shape: SyntheticTargetShape, target: Int) {
        self.shape = shape
        self.target = target
    }

    public static let counterName = "stacklab_synthetic_requests_total"
    public static let gaugeName = "stacklab_synthetic_queue_depth"
    public static let histogramName = "stacklab_synthetic_latency_seconds"

    /// The value of counter series `series` at `seconds`.
    public static func counterValue(series: Int, seconds: Int) -> Int { (series + 1) * seconds }

    /// The churn generation of series `index` at `seconds`.
    public func generation(of index: Int, seconds: Int) -> Int {
        guard let period = shape.churnPeriodSeconds,
            Double(index % 100) < shape.churnShare * 100
        else { return 0 }
        return seconds / period
    }

    /// Series that churn, of every kind (a histogram churns as a whole, its first series deciding).
    public var churningSeries: Int {
        guard shape.churnPeriodSeconds != nil else { return 0 }
        let churns = { (index: Int) in Double(index % 100) < shape.churnShare * 100 }
        let counters = (0..<shape.counters).filter(churns).count
        let gauges = (0..<shape.gauges).filter(churns).count
        let histograms = (0..<shape.histograms).filter(churns).count
        return counters + gauges + histograms * shape.seriesPerHistogram
    }

    /// The whole exposition text at `seconds` after the target started.
    public func text(seconds: Int) -> String {
        var out = ""
        out.reserveCapacity(shape.series * 110)
        func labels(_ index: Int, _ extra: String = "") -> String {
            "{target=\"\(target)\",series=\"\(index)\",shard=\"\(index % shape.labelCardinality)\","
                + "gen=\"\(generation(of: index, seconds: seconds))\"\(extra)}"
        }
        out += "# HELP \(Self.counterName) Synthetic requests, (series + 1) per second.\n"
        out += "# TYPE \(Self.counterName) counter\n"
        for index in 0..<shape.counters {
            out += "\(Self.counterName)\(labels(index)) \(Self.counterValue(series: index, seconds: seconds))\n"
        }
        out += "# HELP \(Self.gaugeName) Synthetic queue depth.\n# TYPE \(Self.gaugeName) gauge\n"
        for index in 0..<shape.gauges {
            out += "\(Self.gaugeName)\(labels(index)) \((7 * index + seconds) % 100)\n"
        }
        let name = Self.histogramName
        out += "# HELP \(name) Synthetic latency.\n# TYPE \(name) histogram\n"
        for index in 0..<shape.histograms {
            let count = (index + 1) * seconds
            for bucket in 0..<shape.buckets {
                let bound = Double(bucket + 1) * 0.01
                out +=
                    "\(name)_bucket\(labels(index, ",le=\"\(bound)\"")) \(count * (bucket + 1) / (shape.buckets + 1))\n"
            }
            out += "\(name)_bucket\(labels(index, ",le=\"+Inf\"")) \(count)\n"
            out += "\(name)_sum\(labels(index)) \(Double(count) / 4)\n"
            out += "\(name)_count\(labels(index)) \(count)\n"
        }
        return out
    }
}
