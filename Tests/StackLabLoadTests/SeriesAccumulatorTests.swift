import StackLabCore
import Testing

@testable import StackLabLoad

struct SeriesAccumulatorTests {
    func piece(second: Int, latenciesMicros: [Int64], errors: Int = 0) -> WorkerTally.Second {
        var histogram = LatencyHistogram.series()
        for micros in latenciesMicros { histogram.recordNanoseconds(micros * 1_000) }
        return .init(second: second, histogram: histogram, requests: latenciesMicros.count, errors: errors)
    }

    @Test func piecesOfOneSecondMergeIntoOneSample() {
        var series = SeriesAccumulator()
        series.add([piece(second: 0, latenciesMicros: [100, 200]), piece(second: 0, latenciesMicros: [5_000])])
        series.add([piece(second: 1, latenciesMicros: [300], errors: 2)])
        let samples = series.series(measuredSeconds: 3)
        #expect(samples.map(\.requests) == [3, 1, 0])
        #expect(samples.map(\.errors) == [0, 2, 0])
        #expect(samples[0].p99 >= 4_900)
        #expect(samples.map(\.second) == [1, 2, 3])
    }

    @Test func closedSecondsKeepTheirFiguresAndTakeLateCounts() {
        var series = SeriesAccumulator()
        series.add([piece(second: 0, latenciesMicros: [100, 100, 10_000])])
        let before = series.merged(second: 0)
        series.close(before: 1)
        #expect(series.merged(second: 0) == before)
        series.add([piece(second: 0, latenciesMicros: [50_000], errors: 1)])
        let after = series.merged(second: 0)
        #expect(after.requests == 4)
        #expect(after.errors == 1)
        #expect(after.p99 == before.p99)
    }
}
