import Foundation
import Testing

@testable import StackLabCore

struct StatisticsTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]) == nil)
    }

    @Test func fiveTrialsGiveMinToMaxAt93Point8Percent() throws {
        let estimate = try #require(Statistics.medianWithInterval([10, 11, 9, 10.5, 12]))
        #expect(estimate.value == 10.5)
        #expect(estimate.low == 9 && estimate.high == 12)
        #expect(abs(try #require(estimate.confidence) - 0.9375) < 1e-12)
        #expect(estimate.isInterval)
    }

    @Test func theAchievedConfidenceFollowsTheBinomial() throws {
        #expect(abs(try #require(Statistics.medianIntervalRank(count: 6)).confidence - 0.96875) < 1e-12)
        // Ten trials: [x(2), x(9)] at 97.9%; [x(3), x(8)] would hold only 89%.
        let ten = try #require(Statistics.medianIntervalRank(count: 10))
        #expect(ten.rank == 2 && abs(ten.confidence - (1 - 2 * 11.0 / 1_024)) < 1e-12)
        let values = (1...10).map(Double.init)
        let estimate = try #require(Statistics.medianWithInterval(values.shuffled()))
        #expect(estimate.low == 2 && estimate.high == 9)
    }

    /// With 2 to 4 trials [min, max] holds the median 50%, 75%, 87.5% of the time: no interval, the range.
    @Test func fewerThanFiveTrialsGiveTheRangeWithoutAConfidence() throws {
        for count in 2...4 {
            #expect(Statistics.medianIntervalRank(count: count) == nil)
        }
        let three = try #require(Statistics.medianWithInterval([3.0, 1.0, 2.0]))
        #expect(three == .init(value: 2, low: 1, high: 3))
        #expect(!three.isInterval)
        #expect(Statistics.medianWithInterval([5]) == .init(value: 5, low: 5, high: 5))
    }

    /// The interval holds the true median as often as its confidence says: 20,000 seeded samples of 5 and of 9.
    @Test func theIntervalCoversAsOftenAsItSays() throws {
        var generator = SplitMix64(seed: 11)
        for count in [5, 9] {
            var covered = 0
            let rounds = 20_000
            var confidence = 0.0
            for _ in 0..<rounds {
                // Exponential(1): a skewed distribution whose median is ln 2.
                let values = (0..<count).map { _ in -log(1 - Double(generator.next() >> 11) / 9_007_199_254_740_992) }
                let estimate = try #require(Statistics.medianWithInterval(values))
                confidence = try #require(estimate.confidence)
                if estimate.low <= log(2.0) && log(2.0) <= estimate.high { covered += 1 }
            }
            #expect(abs(Double(covered) / Double(rounds) - confidence) < 0.01, "n=\(count)")
        }
    }
}

struct MannWhitneyTests {
    /// Simulated trial values: a lognormal latency around `center`, seeded.
    static func trials(_ count: Int, center: Double, generator: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in
            let u1 = max(Double(generator.next() >> 11) / 9_007_199_254_740_992, 1e-12)
            let u2 = Double(generator.next() >> 11) / 9_007_199_254_740_992
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            return center * exp(0.3 * normal)
        }
    }

    /// An A/A comparison: the same stack twice, 2,000 times over. A test at 5% may call at most about 5% of them
    /// different (plus a tolerance for the simulation: the standard error is 0.5%). The bootstrap intervals this
    /// replaced called 11.5% of 3-against-3 A/A comparisons different.
    @Test(arguments: [3, 4, 5, 8])
    func anAAComparisonIsCalledSignificantAtMostFivePercentOfTheTime(trials: Int) throws {
        var generator = SplitMix64(seed: 2_026 + UInt64(trials))
        let rounds = 2_000
        var significant = 0
        for _ in 0..<rounds {
            let a = Self.trials(trials, center: 3_000, generator: &generator)
            let b = Self.trials(trials, center: 3_000, generator: &generator)
            if try #require(Statistics.difference(b, minus: a)).direction != nil { significant += 1 }
        }
        let rate = Double(significant) / Double(rounds)
        #expect(rate <= 0.05 + 0.015, "false significant rate \(rate) with \(trials) trials per group")
        if trials >= 4 { #expect(rate > 0.01, "a test that never fires is no test: \(rate)") }
    }

    @Test func aRealDifferenceIsDetected() throws {
        var generator = SplitMix64(seed: 99)
        var detected = 0
        for _ in 0..<500 {
            let a = Self.trials(5, center: 3_000, generator: &generator)
            let b = Self.trials(5, center: 9_000, generator: &generator)
            if try #require(Statistics.difference(b, minus: a)).direction == .larger { detected += 1 }
        }
        // Three times the latency with 30% spread per trial: found nearly every time.
        #expect(detected > 450, "\(detected) of 500")
    }

    @Test func theExactPValuesAreTheTextbookOnes() throws {
        // Four against four, fully separated: 2 of the 70 splits are as extreme, p = 2/70.
        let separated = try #require(Statistics.mannWhitney([5, 6, 7, 8], versus: [1, 2, 3, 4]))
        #expect(separated.u == 16)
        #expect(abs(separated.pValue - 2.0 / 70) < 1e-12)
        #expect(separated.isSignificant && separated.canDecide && separated.valuesAreLarger)
        // Three against three can never reach 5%: its smallest p-value is 2/20.
        let small = try #require(Statistics.mannWhitney([5, 6, 7], versus: [1, 2, 3]))
        #expect(abs(small.smallestPossiblePValue - 0.1) < 1e-12)
        #expect(!small.canDecide && !small.isSignificant)
        // Identical groups: every pair a tie, U in the middle, p = 1.
        #expect(try #require(Statistics.mannWhitney([1, 1, 1, 1], versus: [1, 1, 1, 1])).pValue == 1)
        #expect(Statistics.mannWhitney([], versus: [1]) == nil)
    }

    @Test func threeTrialsPerGroupGiveNoDirectionHoweverFarApart() throws {
        let difference = try #require(Statistics.difference([100, 101, 102], minus: [1, 2, 3]))
        #expect(difference.direction == nil)
        #expect(!difference.estimate.isInterval)
        #expect(difference.estimate.value == 99)
    }
}

struct DifferenceOfMediansTests {
    @Test func aClearShiftHasAnIntervalAwayFromZero() throws {
        let baseline = [1.0, 1.1, 0.9, 1.05, 0.95]
        let shifted = baseline.map { $0 + 2 }
        let difference = try #require(Statistics.differenceOfMedians(shifted, minus: baseline))
        #expect(abs(difference.value - 2) < 1e-12)
        #expect(difference.low > 1.5 && difference.high < 2.5)
        // Five against five: the 3rd smallest and largest of the 25 pairwise differences, at 1 − 2·4/252.
        #expect(abs(try #require(difference.confidence) - (1 - 8.0 / 252)) < 1e-12)
        #expect(difference.excludesZero)
    }

    @Test func theSameGroupsDifferByNothingThatCounts() throws {
        let values = [1.0, 3.0, 2.0, 5.0, 4.0]
        let difference = try #require(Statistics.differenceOfMedians(values, minus: values))
        #expect(difference.value == 0)
        #expect(!difference.excludesZero)
    }

    @Test func manyTrialsStillGetAnInterval() throws {
        let baseline = (0..<40).map { Double($0) }
        let difference = try #require(Statistics.differenceOfMedians(baseline.map { $0 + 100 }, minus: baseline))
        #expect(difference.confidence == 0.95)
        #expect(difference.low < 100 && 100 < difference.high && difference.excludesZero)
    }

    @Test func emptyGroupsHaveNoDifference() {
        #expect(Statistics.differenceOfMedians([], minus: [1]) == nil)
    }
}

/// Many rows compared at once: the chance of any false "significant" among them stays at 5%.
@Suite struct FamilyWiseTests {
    @Test func holmStopsAtTheFirstPValueAboveItsShare() {
        #expect(Statistics.holm([0.01, 0.04, 0.03, nil]) == [true, false, false, false])
        #expect(Statistics.holm([0.01, 0.02, 0.024]) == [true, true, true])
        #expect(Statistics.holm([0.03, nil]) == [true, false])
    }

    @Test func trialsNeededForAPValue() {
        #expect(Statistics.trialsNeeded(forPValue: 0.05) == 4)
        #expect(Statistics.trialsNeeded(forPValue: 0.0025) == 6)
    }

    /// 2,000 seeded A/A comparisons of 20 rows (6 trials a side, every row from one distribution): the share with
    /// any row called different is at most 5% (+1% for the simulation), where testing each row alone at 5% would
    /// call about half of them different.
    @Test func anAAComparisonOfTwentyRowsIsFalselySignificantAtMostFivePercent() {
        var random = SplitMix64(seed: 42)
        func sample() -> [Double] { (0..<6).map { _ in Double(random.next() % 1_000_000) } }
        var familyFalse = 0
        var uncorrectedFalse = 0
        let runs = 2_000
        for _ in 0..<runs {
            let p = (0..<20).map { _ in Statistics.mannWhitney(sample(), versus: sample())?.pValue }
            if Statistics.holm(p).contains(true) { familyFalse += 1 }
            if p.contains(where: { ($0 ?? 1) < 0.05 }) { uncorrectedFalse += 1 }
        }
        #expect(Double(familyFalse) / Double(runs) <= 0.06, "\(familyFalse) of \(runs)")
        #expect(Double(uncorrectedFalse) / Double(runs) > 0.3, "\(uncorrectedFalse) of \(runs)")
    }
}
