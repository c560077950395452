import Testing

@testable import StackLabCore

struct StatisticsTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]) == nil)
    }

    @Test func intervalContainsTheMedianAndIsReproducible() throws {
        let values: [Double] = [10, 11, 9, 10.5, 12, 9.5, 10.2]
        let estimate = try #require(Statistics.medianWithInterval(values))
        #expect(estimate.value == 10.2)
        #expect(estimate.low <= estimate.value && estimate.value <= estimate.high)
        #expect(estimate.low >= 9 && estimate.high <= 12)
        #expect(Statistics.medianWithInterval(values) == estimate)
    }

    @Test func singleValueHasNoWidth() {
        #expect(Statistics.medianWithInterval([5]) == .init(value: 5, low: 5, high: 5))
    }

    @Test func separatedSamplesDiffer() throws {
        let fast = try #require(Statistics.medianWithInterval([1.0, 1.1, 0.9, 1.05, 0.95]))
        let slow = try #require(Statistics.medianWithInterval([2.0, 2.1, 1.9, 2.05, 1.95]))
        let alsoFast = try #require(Statistics.medianWithInterval([1.02, 1.08, 0.92, 1.0, 0.97]))
        #expect(fast.differs(from: slow))
        #expect(!fast.differs(from: alsoFast))
    }
}

struct DifferenceOfMediansTests {
    @Test func aClearShiftHasAnIntervalAwayFromZero() throws {
        let baseline = [1.0, 1.1, 0.9, 1.05, 0.95]
        let shifted = baseline.map { $0 + 2 }
        let difference = try #require(Statistics.differenceOfMedians(shifted, minus: baseline))
        #expect(abs(difference.value - 2) < 1e-12)
        #expect(difference.low > 1.5 && difference.high < 2.5)
        #expect(difference.excludesZero)
    }

    @Test func theSameGroupsDifferByNothingThatCounts() throws {
        let values = [1.0, 3.0, 2.0, 5.0, 4.0]
        let difference = try #require(Statistics.differenceOfMedians(values, minus: values))
        #expect(difference.value == 0)
        #expect(!difference.excludesZero)
    }

    @Test func emptyGroupsHaveNoDifference() {
        #expect(Statistics.differenceOfMedians([], minus: [1]) == nil)
    }
}
