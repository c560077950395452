/// What one replica does as a function of the rate it serves, from a run's trials: p99 latency and CPU cores at
/// each measured rate, and the highest rate that met the SLO.
///
/// Between measured rates the figures are interpolated linearly. Below the lowest, p99 is the lowest rate's and
/// CPU falls in proportion to the rate. Beyond the highest measured rate p99 is unknown (nil), never invented; CPU
/// goes on in proportion to the rate, since the HPA still needs a figure, and stops at the CPU limit if there is one.
public struct ReplicaCurve: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// Requests per second offered to the replica.
        public var rate: Double
        /// Microseconds.
        public var p99: Double
        /// The app component's cores.
        public var cores: Double

        public init(rate: Double, p99: Double, cores: Double) {
            self.rate = rate
            self.p99 = p99
            self.cores = cores
        }
    }

    /// In rising rate.
    public var points: [Point]
    /// The highest rate within the SLO (``SweepLimit``).
    public var capacity: Double
    /// True when every measured rate met the SLO: the capacity is at least `capacity`, not a limit found.
    public var capacityIsLowerBound: Bool
    /// The SLO's p99 limit, microseconds; nil when the SLO has none.
    public var p99Limit: Double?
    /// The app's CPU limit, cores; nil without one.
    public var cpuLimit: Double?

    public init(
        points: [Point], capacity: Double, capacityIsLowerBound: Bool = false, p99Limit: Double? = nil,
        cpuLimit: Double? = nil
    ) {
        self.points = points.sorted { $0.rate < $1.rate }
        self.capacity = capacity
        self.capacityIsLowerBound = capacityIsLowerBound
        self.p99Limit = p99Limit
        self.cpuLimit = cpuLimit
    }

    /// The highest measured rate.
    public var highestMeasured: Double { points.last?.rate ?? 0 }

    /// p99 at `rate`, microseconds; nil beyond the highest measured rate.
    public func p99(at rate: Double) -> Double? {
        guard let first = points.first, rate <= highestMeasured else { return nil }
        if rate <= first.rate { return first.p99 }
        return interpolate(rate, \.p99)
    }

    /// Cores one replica uses serving `rate`.
    public func cores(at rate: Double) -> Double {
        guard let first = points.first, let last = points.last, rate > 0 else { return 0 }
        let cores: Double
        if rate <= first.rate {
            cores = first.rate > 0 ? first.cores * rate / first.rate : first.cores
        } else if rate > last.rate {
            cores = last.cores * rate / last.rate
        } else {
            cores = interpolate(rate, \.cores)
        }
        return cpuLimit.map { min($0, cores) } ?? cores
    }

    /// Whether a replica serving `rate` meets the SLO: at most the capacity, and its p99 known and within the limit.
    public func withinSLO(at rate: Double) -> Bool {
        guard rate <= capacity, let p99 = p99(at: rate) else { return false }
        return p99Limit.map { p99 <= $0 } ?? true
    }

    private func interpolate(_ rate: Double, _ value: KeyPath<Point, Double>) -> Double {
        for (a, b) in zip(points, points.dropFirst()) where rate <= b.rate {
            guard b.rate > a.rate else { return b[keyPath: value] }
            return a[keyPath: value] + (b[keyPath: value] - a[keyPath: value]) * (rate - a.rate) / (b.rate - a.rate)
        }
        return points.last![keyPath: value]
    }
}
