import Foundation

/// A search for the highest open-loop rate a stack serves within its SLO (a workload's `capacity:`), as OMB's
/// rate controller and pgbench's rate sweeps do: grow from `from` by `growth` until a rate fails the SLO (or `to`
/// passes), then bisect between the highest rate that passed and the lowest that failed until they are within
/// `precision` of each other.
///
/// A rate passes when every repeat at it meets every objective, as in a sweep (``SweepLimit``), so the stored
/// trials of a search read back as a sweep would: the limit is the highest rate that passed below the lowest that
/// failed, and the bracket between the two is its interval.
public struct CapacitySearch: Sendable, Equatable, Codable {
    /// The first rate tried, requests per second.
    public var from: Double
    /// The highest rate tried: when it passes, the capacity is only known to be at least this.
    public var to: Double
    /// How close the bracket must get, relative to the rate that passed: 0.05 stops once the lowest failure is
    /// at most 5% above the highest pass.
    public var precision: Double
    /// The factor between rates while no rate has failed yet.
    public var growth: Double

    public static let defaultFrom = 100.0
    public static let defaultTo = 100_000.0
    public static let defaultPrecision = 0.05
    public static let defaultGrowth = 2.0

    public init(
        from: Double = defaultFrom, to: Double = defaultTo, precision: Double = defaultPrecision,
        growth: Double = defaultGrowth
    ) {
        self.from = from
        self.to = to
        self.precision = precision
        self.growth = growth
    }

    /// The verdict of one probed rate: passed when every repeat at it met the SLO.
    public struct Probe: Sendable, Equatable {
        public var rate: Double
        public var passed: Bool

        public init(rate: Double, passed: Bool) {
            self.rate = rate
            self.passed = passed
        }
    }

    /// The next rate to probe after `probes` (in any order); nil when the search is over: the bracket is within
    /// the precision, `to` passed, or `from` failed.
    public func next(after probes: [Probe]) -> Double? {
        guard !probes.isEmpty else { return from }
        let lowestFailure = probes.filter { !$0.passed }.map(\.rate).min()
        let highestPass = probes.filter { $0.passed && $0.rate < (lowestFailure ?? .infinity) }.map(\.rate).max()
        guard let highestPass else { return nil }
        guard let lowestFailure else {
            return highestPass >= to ? nil : min(Self.rounded(highestPass * growth), to)
        }
        guard lowestFailure > highestPass * (1 + precision) else { return nil }
        let middle = Self.rounded((highestPass + lowestFailure) / 2)
        // Rounding may land on an end of a narrow bracket: then nothing between them is worth a trial.
        return middle > highestPass && middle < lowestFailure ? middle : nil
    }

    /// The most probes the search can take: the growth steps from `from` to `to`, then the halvings of the
    /// widest bracket down to the precision.
    public var maximumProbes: Int {
        let growing = Int((log(to / from) / log(growth)).rounded(.up)) + 1
        let halving = Int(max(0, log2((growth - 1) / precision)).rounded(.up))
        return max(1, growing) + halving
    }

    /// A rate as a person would write it: whole requests per second from 10/s up, three significant digits above
    /// 1,000/s (3,470 rather than 3,468.75), so a report's rates read plainly.
    static func rounded(_ rate: Double) -> Double {
        guard rate >= 10 else { return (rate * 100).rounded() / 100 }
        guard rate >= 1_000 else { return rate.rounded() }
        let scale = pow(10, (log10(rate) - 2).rounded(.down))
        return (rate / scale).rounded() * scale
    }
}
