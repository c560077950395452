import Foundation

/// What the VPA's recommender would set as one container's requests, from its CPU and memory samples
/// (`pkg/recommender/logic/recommender.go` and `estimator.go`, with their defaults).
///
/// CPU samples (one a minute per pod) weigh the pod's CPU request (at least 0.1 core), memory samples are each
/// interval's peak (24 h by default) and weigh 1; both decay with a 24 h half-life. Target, lower and upper
/// bounds are the 90th, 50th and 95th percentiles, each raised by the 15% safety margin; the upper bound is
/// multiplied by (1 + 1/confidence), the lower by (1 + 0.001/confidence)^−2, where confidence is the days of
/// history (the lesser of its span and samples / 1,440); all are at least 25 millicores and 250 MB.
public struct VPARecommender: Sendable {
    public struct Recommendation: Sendable, Equatable {
        /// Cores.
        public var cpu: (lower: Double, target: Double, upper: Double)
        /// Bytes.
        public var memory: (lower: Double, target: Double, upper: Double)

        public static func == (lhs: Recommendation, rhs: Recommendation) -> Bool {
            lhs.cpu == rhs.cpu && lhs.memory == rhs.memory
        }
    }

    public static let safetyMargin = 0.15
    public static let minimumCPU = 0.025
    public static let minimumMemory = 250.0 * 1_048_576
    public static let memoryAggregationSeconds = 86_400.0

    private(set) var cpu = DecayingHistogram.cpu()
    private(set) var memory = DecayingHistogram.memory()
    private(set) var firstSample: Double?
    private(set) var lastSample: Double?
    private(set) var cpuSamples = 0
    /// The open memory interval's start and peak.
    private(set) var memoryPeak: (start: Double, bytes: Double)?

    public init() {}

    /// One pod's sample at `second`: cores used, the pod's CPU request (cores) and its memory (bytes); `pods` alike
    /// samples at once.
    public mutating func add(cores: Double, request: Double, memory bytes: Double, at second: Double, pods: Int = 1) {
        cpu.add(cores, weight: max(request, 0.1) * Double(pods), at: second)
        cpuSamples += pods
        firstSample = min(firstSample ?? second, second)
        lastSample = max(lastSample ?? second, second)
        if let peak = memoryPeak, second < peak.start + Self.memoryAggregationSeconds {
            memoryPeak = (peak.start, max(peak.bytes, bytes))
        } else {
            if let peak = memoryPeak { memory.add(peak.bytes, weight: 1, at: peak.start) }
            memoryPeak = (second, bytes)
        }
    }

    /// The recommendation from every sample so far; nil before the first.
    public var recommendation: Recommendation? {
        guard let firstSample, let lastSample else { return nil }
        var memory = memory
        if let peak = memoryPeak { memory.add(peak.bytes, weight: 1, at: peak.start) }
        let days = min((lastSample - firstSample) / 86_400, Double(cpuSamples) / 1_440)
        func bounds(_ histogram: DecayingHistogram, minimum: Double) -> (Double, Double, Double) {
            let margin = 1 + Self.safetyMargin
            let lower = histogram.percentile(0.5) * margin * pow(1 + 0.001 / days, -2)
            let upper = histogram.percentile(0.95) * margin * (1 + 1 / days)
            return (max(lower, minimum), max(histogram.percentile(0.9) * margin, minimum), max(upper, minimum))
        }
        return Recommendation(
            cpu: bounds(cpu, minimum: Self.minimumCPU), memory: bounds(memory, minimum: Self.minimumMemory))
    }
}
