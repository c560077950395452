import Foundation
import Testing

@testable import StackLabScaling

/// The VPA recommender against its documented behaviour: percentiles as bucket ends, the 15% safety margin, the
/// 24 h half-life, the confidence multipliers and the minimum resources.
struct VPARecommenderTests {
    /// A day of samples at 1 core, one a minute: every percentile is the end of 1 core's bucket (2% above),
    /// raised by 15%; a day of history makes the upper bound twice that, the lower barely below it.
    @Test func steadyUsageGivesTheBucketEndPlusTheMargin() throws {
        var vpa = VPARecommender()
        for minute in 0...1_440 {
            vpa.add(cores: 1, request: 1, memory: 400 * 1_048_576, at: Double(minute * 60))
        }
        let recommendation = try #require(vpa.recommendation)
        let target = recommendation.cpu.target
        #expect(target >= 1.15 && target <= 1.15 * 1.05)
        #expect(abs(recommendation.cpu.upper - target * 2) < 0.01 * target)
        #expect(recommendation.cpu.lower < target && recommendation.cpu.lower > target * 0.99)
        let memory = recommendation.memory.target
        #expect(memory >= 400 * 1_048_576 * 1.15 && memory <= 400 * 1_048_576 * 1.15 * 1.1)
    }

    /// 92% of the minutes at 0.2 core and 8% at 1 core: the target (90th percentile) is the low bucket's end (buckets near zero are wider than 5%), the upper
    /// bound (95th) the high one.
    @Test func targetIsTheNinetiethPercentile() throws {
        var vpa = VPARecommender()
        for minute in 0..<2_880 {
            vpa.add(cores: minute % 25 < 2 ? 1 : 0.2, request: 1, memory: 0, at: Double(minute * 60))
        }
        let recommendation = try #require(vpa.recommendation)
        #expect(recommendation.cpu.target < 0.2 * 1.15 * 1.1)
        #expect(recommendation.cpu.upper > 1.15)
    }

    /// Half the samples at 1 core a day ago, half at 2 cores now: undecayed the median would be 1 core; with the
    /// 24 h half-life the old half weighs a third, and the median is 2 cores.
    @Test func olderSamplesWeighHalfPerDay() {
        var histogram = DecayingHistogram.cpu()
        for _ in 0..<100 { histogram.add(1, weight: 1, at: 0) }
        for _ in 0..<100 { histogram.add(2, weight: 1, at: 86_400) }
        #expect(histogram.percentile(0.5) > 2)
        var flat = DecayingHistogram.cpu()
        for _ in 0..<100 { flat.add(1, weight: 1, at: 0) }
        for _ in 0..<100 { flat.add(2, weight: 1, at: 0) }
        #expect(flat.percentile(0.5) < 1.06)
    }

    /// Tiny usage is raised to the minimum resources: 25 millicores and 250 MB.
    @Test func minimumResources() throws {
        var vpa = VPARecommender()
        for minute in 0...1_440 { vpa.add(cores: 0.001, request: 1, memory: 1_000_000, at: Double(minute * 60)) }
        let recommendation = try #require(vpa.recommendation)
        #expect(recommendation.cpu.target == 0.025)
        #expect(recommendation.memory.target == 250 * 1_048_576)
    }
}
