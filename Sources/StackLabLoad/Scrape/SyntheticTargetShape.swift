/// What each synthetic scrape target serves: how many series, of which kinds, with how many values of its
/// `shard` label, and how fast series are replaced (churn).
///
/// Half the series are counters, a quarter gauges, the rest histograms of ``buckets`` buckets (each histogram
/// is `buckets + 3` series: its buckets, `+Inf`, `_sum` and `_count`); gauges take what is left over so the
/// total is exactly ``series``.
public struct SyntheticTargetShape: Sendable, Equatable {
    /// Series per target; 800 by default, about a node exporter's.
    public var series: Int
    /// Distinct values of the `shard` label across a target's series.
    public var labelCardinality: Int
    /// Seconds between churns; nil for none. At each churn the churning series take a new `gen` label value:
    /// the old series end (stale), new ones begin.
    public var churnPeriodSeconds: Int?
    /// The share of series that churn, from 0 to 1.
    public var churnShare: Double
    /// Buckets per histogram, `+Inf` not counted.
    public var buckets: Int

    public init(
        series: Int = 800, labelCardinality: Int = 10, churnPeriodSeconds: Int? = nil, churnShare: Double = 0.1,
        buckets: Int = 10
    ) {
        self.series = series
        self.labelCardinality = labelCardinality
        self.churnPeriodSeconds = churnPeriodSeconds
        self.churnShare = churnShare
        self.buckets = buckets
    }

    /// Series per histogram: its buckets, `+Inf`, `_sum` and `_count`.
    public var seriesPerHistogram: Int { buckets + 3 }
    public var counters: Int { series / 2 }
    public var histograms: Int { (series - counters - series / 4) / seriesPerHistogram }
    public var gauges: Int { series - counters - histograms * seriesPerHistogram }

    /// Checks the shape.
    ///
    /// - Throws: `SyntheticTargetShape.Invalid` naming the field, for a value out of range.
    public func validate() throws {
        guard series >= 4, series <= 10_000_000 else { throw Invalid("series must be from 4 to 10000000") }
        guard labelCardinality >= 1 else { throw Invalid("label cardinality must be at least 1") }
        guard buckets >= 1, buckets <= 100 else { throw Invalid("buckets must be from 1 to 100") }
        guard (0...1).contains(churnShare) else { throw Invalid("churn share must be from 0 to 1") }
        if let period = churnPeriodSeconds, period < 1 {
            throw Invalid("churn period must be at least 1 second")
        }
    }

    /// A shape that cannot be served, in one line naming the field.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = "synthetic scrape targets: " + description }
    }
}
