import Foundation

/// Offered load over time: requests per second at each second of a stated length.
///
/// The built-in shapes scale to a stated peak: `diurnal` a smooth day (a cosine from a night trough of a fifth of
/// the peak up to the peak at mid-afternoon), `spike` a steady base of a quarter of the peak with a ten-minute spike
/// to the peak, `step` half the peak, then the peak from the middle on. A CSV trace holds its points and steps
/// linearly between them.
public struct TrafficTrace: Sendable, Equatable {
    public enum Shape: String, Sendable, Equatable, CaseIterable {
        case diurnal
        case spike
        case step
    }

    /// A name to show: `diurnal`, `spike`, `step` or the CSV file's name.
    public var name: String
    /// Seconds.
    public var length: Int
    /// (second, rate) points in time order; the rate between two points is interpolated linearly, and held after
    /// the last.
    public var points: [(second: Double, rate: Double)]

    public init(name: String, length: Int, points: [(second: Double, rate: Double)]) {
        self.name = name
        self.length = length
        self.points = points
    }

    public static func == (lhs: TrafficTrace, rhs: TrafficTrace) -> Bool {
        lhs.name == rhs.name && lhs.length == rhs.length && lhs.points.elementsEqual(rhs.points, by: { $0 == $1 })
    }

    /// The highest rate of the trace.
    public var peak: Double { points.map(\.rate).max() ?? 0 }

    /// Requests per second at `second`.
    public func rate(at second: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if second < first.second { return first.rate }
        if second >= last.second { return last.rate }
        // The first point after `second`, by bisection: a day's trace is read 86,400 times.
        var low = 0
        var high = points.count - 1
        while low < high {
            let middle = (low + high) / 2
            if points[middle].second > second { high = middle } else { low = middle + 1 }
        }
        let (a, b) = (points[low - 1], points[low])
        guard b.second > a.second else { return b.rate }
        return a.rate + (b.rate - a.rate) * (second - a.second) / (b.second - a.second)
    }

    /// A built-in shape with its highest rate `peak`; the default lengths are a day, an hour and an hour.
    public static func builtIn(_ shape: Shape, peak: Double, length: Int? = nil) -> TrafficTrace {
        switch shape {
        case .diurnal:
            let length = length ?? 86_400
            // Trough at 03:00, peak at 15:00 of a 24-hour day, one point a minute.
            let points = stride(from: 0, through: length, by: 60).map { second -> (Double, Double) in
                let phase = (Double(second) / Double(length) * 24 - 15) / 24 * 2 * Double.pi
                return (Double(second), peak * (0.6 + 0.4 * cos(phase)))
            }
            return TrafficTrace(name: "diurnal", length: length, points: points)
        case .spike:
            let length = length ?? 3_600
            let start = Double(length) / 2 - 300
            let base = peak / 4
            return TrafficTrace(
                name: "spike", length: length,
                points: [(0, base), (start, base), (start + 60, peak), (start + 600, peak), (start + 660, base)])
        case .step:
            let length = length ?? 3_600
            let middle = Double(length / 2)
            return TrafficTrace(
                name: "step", length: length, points: [(0, peak / 2), (middle, peak / 2), (middle, peak)])
        }
    }
}
