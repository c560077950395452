import Foundation
import StackLabCore
import Testing

@testable import StackLabScaling

/// The built-in traces and CSV traces: their stated peak and length, and one-line errors for bad files.
struct TrafficTraceTests {
    @Test(arguments: TrafficTrace.Shape.allCases) func builtInShapesReachTheirPeakAndLength(_ shape: TrafficTrace.Shape)
    {
        let trace = TrafficTrace.builtIn(shape, peak: 1_000)
        #expect(trace.peak == 1_000)
        #expect(trace.length == (shape == .diurnal ? 86_400 : 3_600))
        let rates = stride(from: 0, to: trace.length, by: 30).map { trace.rate(at: Double($0)) }
        #expect(rates.max()! <= 1_000 && rates.max()! > 990)
        #expect(rates.min()! > 0)
    }

    @Test func diurnalIsLowestAtNightAndHighestInTheAfternoon() {
        let day = TrafficTrace.builtIn(.diurnal, peak: 500)
        #expect(abs(day.rate(at: 3 * 3_600) - 100) < 0.01)
        #expect(abs(day.rate(at: 15 * 3_600) - 500) < 0.01)
        #expect(day.rate(at: 9 * 3_600) > 250 && day.rate(at: 9 * 3_600) < 350)
    }

    @Test func stepDoublesAtTheMiddle() {
        let step = TrafficTrace.builtIn(.step, peak: 800, length: 600)
        #expect(step.rate(at: 299) == 400)
        #expect(step.rate(at: 300) == 800)
        #expect(step.rate(at: 599) == 800)
    }

    @Test func csvInterpolatesBetweenRows() throws {
        let trace = try TrafficTrace(
            csv: "time_seconds,rate\n# warm-up\n0,100\n60, 300\n120,300\n", file: "traces/day.csv")
        #expect(trace.name == "day.csv")
        #expect(trace.length == 120)
        #expect(trace.peak == 300)
        #expect(trace.rate(at: 30) == 200)
        #expect(trace.rate(at: 500) == 300)
    }

    @Test func csvErrorsNameFileLineAndColumn() {
        let text = "time_seconds,rate\n0,100\n30,lots\n20,5\n40\n"
        #expect {
            try TrafficTrace(csv: text, file: "bad.csv")
        } throws: { error in
            let lines = (error as? SpecError)?.lines ?? []
            return lines == [
                "bad.csv:3: rate: 'lots' is not a rate ≥ 0",
                "bad.csv:4: time_seconds: 20 is before the row above",
                "bad.csv:5: expected time_seconds,rate, found 1 columns",
            ]
        }
        #expect(throws: SpecError.self) { try TrafficTrace(csv: "0,5\n", file: "short.csv") }
        let brief = SpecProblem(
            line: 2, keyPath: "time_seconds", message: "a trace lasts at least 60 s; this one ends at 30.0 s")
        #expect(throws: SpecError(file: "brief.csv", problems: [brief])) {
            try TrafficTrace(csv: "0,5\n30,6\n", file: "brief.csv")
        }
    }
}
