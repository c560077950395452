import Foundation
import Histogram
import StackLabCore

/// The latency percentile curve of one variant at one offered rate, as HdrHistogram's plotter draws it: latency
/// against percentile, from the histograms of all its repeats merged.
public struct PercentileCurve: Sendable, Equatable {
    /// One point: the latency (µs) at or below which `percentile` (0–100) of requests completed.
    public struct Point: Sendable, Equatable {
        public var percentile: Double
        public var micros: Double
    }

    public var variant: String
    public var offeredRate: Double?
    /// Requests behind the curve.
    public var count: Int
    /// False when some repeat had no histogram and the curve joins the repeats' summary percentiles instead.
    public var fromHistogram: Bool
    public var points: [Point]

    /// Points per decade of the percentile axis.
    public static let pointsPerDecade = 10
    /// The curve stops at 99.9999%: past that a run has too few requests to say anything.
    public static let maximumDecades = 6

    /// The curve of a group: its repeats' corrected histograms merged (`Histogram.add`), or, when a repeat has
    /// none, the medians of the repeats' summary percentiles.
    public init(group: RunSummary.Group) {
        variant = group.variant
        offeredRate = group.offeredRate
        if let merged = Self.merged(group.trials) {
            fromHistogram = true
            count = Int(merged.totalCount)
            points = Self.points(merged)
        } else {
            fromHistogram = false
            count = group.trials.reduce(0) { $0 + $1.load.latency.count }
            points = Self.summaryPoints(group.trials.map(\.load.latency), count: count)
        }
    }

    /// The merged corrected histogram of `trials`; nil when any of them has none.
    public static func merged(_ trials: [TrialMeasurement]) -> LatencyHistogram? {
        guard !trials.isEmpty else { return nil }
        var merged = LatencyHistogram.latency()
        for trial in trials {
            guard let encoded = trial.latencyHistogram else { return nil }
            merged.add(encoded.decoded())
        }
        return merged
    }

    /// Decades of the percentile axis a curve of `count` requests can fill: log10(count), at least 1, at most 6.
    public static func decades(count: Int) -> Int {
        guard count > 1 else { return 1 }
        return min(maximumDecades, max(1, Int(log10(Double(count)).rounded(.down))))
    }

    /// Evenly spaced on the log axis (x = log10(1 / (1 − p))), up to 1 − 1/count, ending at the maximum.
    static func points(_ histogram: LatencyHistogram) -> [Point] {
        guard histogram.totalCount > 0 else { return [] }
        let reach = min(Double(maximumDecades), log10(Double(histogram.totalCount)))
        var points: [Point] = []
        var step = 0
        while true {
            let x = Double(step) / Double(pointsPerDecade)
            guard x < reach else { break }
            // Rounded, so the 99% point is 99 and not 99.00000000000001.
            let percentile = ((1 - pow(10, -x)) * 100 * 1e9).rounded() / 1e9
            points.append(Point(percentile: percentile, micros: Double(histogram.valueAtPercentile(percentile))))
            step += 1
        }
        points.append(Point(percentile: (1 - pow(10, -reach)) * 100, micros: Double(histogram.max)))
        return points
    }

    /// The repeats' summary percentiles (medians), as a coarse curve.
    static func summaryPoints(_ summaries: [LatencySummary], count: Int) -> [Point] {
        guard !summaries.isEmpty else { return [] }
        func median(_ value: (LatencySummary) -> Double) -> Double {
            Statistics.median(summaries.map(value)) ?? 0
        }
        var points = [
            Point(percentile: 0, micros: median(\.min)), Point(percentile: 50, micros: median(\.p50)),
            Point(percentile: 75, micros: median(\.p75)), Point(percentile: 90, micros: median(\.p90)),
            Point(percentile: 95, micros: median(\.p95)), Point(percentile: 99, micros: median(\.p99)),
        ]
        if count >= 1_000 { points.append(Point(percentile: 99.9, micros: median(\.p999))) }
        if count >= 10_000 { points.append(Point(percentile: 99.99, micros: median(\.p9999))) }
        let reach = min(Double(maximumDecades), log10(Double(max(count, 10))))
        points.append(Point(percentile: (1 - pow(10, -reach)) * 100, micros: median(\.max)))
        return points
    }
}

extension PercentileCurve.Point {
    /// Where the point lies on the percentile axis, in decades: 0 for 0%, 1 for 90%, 2 for 99% …
    public var decades: Double {
        percentile >= 100 ? Double(PercentileCurve.maximumDecades) : log10(1 / (1 - percentile / 100))
    }
}
