import Foundation

/// The VPA recommender's histogram: exponential buckets (each 5% wider than the last) with weights that grow by
/// half every half-life, so recent samples count more (`util/decaying_histogram.go`, `util/histogram.go`).
public struct DecayingHistogram: Sendable, Equatable {
    public var firstBucketSize: Double
    public var ratio: Double
    public var maxValue: Double
    public var halfLifeSeconds: Double
    private(set) var weights: [Double]
    /// Weights are stored relative to this time, as upstream does, so they stay finite.
    private(set) var referenceSecond: Double = 0

    /// CPU's histogram: 10 millicores first, to 1,000 cores, half-life 24 h.
    public static func cpu() -> DecayingHistogram {
        DecayingHistogram(firstBucketSize: 0.01, ratio: 1.05, maxValue: 1_000, halfLifeSeconds: 86_400)
    }

    /// Memory's histogram: 10 MB first, to 1 TB, half-life 24 h.
    public static func memory() -> DecayingHistogram {
        DecayingHistogram(firstBucketSize: 1e7, ratio: 1.05, maxValue: 1e12, halfLifeSeconds: 86_400)
    }

    public init(firstBucketSize: Double, ratio: Double, maxValue: Double, halfLifeSeconds: Double) {
        self.firstBucketSize = firstBucketSize
        self.ratio = ratio
        self.maxValue = maxValue
        self.halfLifeSeconds = halfLifeSeconds
        let buckets = Int((log(maxValue * (ratio - 1) / firstBucketSize + 1) / log(ratio)).rounded(.up)) + 1
        weights = Array(repeating: 0, count: buckets)
    }

    public var isEmpty: Bool { !weights.contains { $0 > 0 } }

    /// Adds `value` with `weight` at `second`; the weight is multiplied by 2^((second − reference) / half-life).
    public mutating func add(_ value: Double, weight: Double, at second: Double) {
        // Past 100 half-lives the factors would overflow: shift the reference as upstream does.
        if second - referenceSecond > 100 * halfLifeSeconds {
            let shift = pow(2, (referenceSecond - second) / halfLifeSeconds)
            weights = weights.map { $0 * shift }
            referenceSecond = second
        }
        weights[bucket(value)] += weight * pow(2, (second - referenceSecond) / halfLifeSeconds)
    }

    /// The end of the bucket in which the cumulative weight reaches `share` of the total; 0 when empty.
    public func percentile(_ share: Double) -> Double {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var partial = 0.0
        var index = 0
        for (bucket, weight) in weights.enumerated() {
            partial += weight
            index = bucket
            if weight > 0, partial >= share * total { break }
        }
        return index < weights.count - 1 ? bucketStart(index + 1) : bucketStart(index)
    }

    func bucket(_ value: Double) -> Int {
        guard value >= firstBucketSize else { return 0 }
        let index = Int(log(value * (ratio - 1) / firstBucketSize + 1) / log(ratio))
        return min(index, weights.count - 1)
    }

    func bucketStart(_ bucket: Int) -> Double {
        bucket == 0 ? 0 : firstBucketSize * (pow(ratio, Double(bucket)) - 1) / (ratio - 1)
    }
}
