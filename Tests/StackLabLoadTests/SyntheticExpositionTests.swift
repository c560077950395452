import Testing

@testable import StackLabLoad

/// The synthetic scrape targets' exposition text: as many series as the shape says, each family declared once,
/// histograms whose buckets only grow up to `+Inf` = `_count`, counters as the documented function of time, and
/// churn that replaces the churning share of series with new label values.
struct SyntheticExpositionTests {
    static func samples(_ text: String) -> [(name: String, labels: String, value: Double)] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let open = line.firstIndex(of: "{")!
            let close = line.lastIndex(of: "}")!
            return (
                String(line[..<open]), String(line[line.index(after: open)..<close]),
                Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))!
            )
        }
    }

    @Test func servesTheShapesSeriesEachFamilyDeclaredOnce() {
        let shape = SyntheticTargetShape()
        let text = SyntheticExposition(shape: shape, target: 2).text(seconds: 30)
        let samples = Self.samples(text)
        #expect(samples.count == 800)
        #expect(Set(samples.map { "\($0.name){\($0.labels)}" }).count == 800, "a series is served twice")
        for name in [SyntheticExposition.counterName, SyntheticExposition.gaugeName, SyntheticExposition.histogramName]
        {
            #expect(text.components(separatedBy: "# TYPE \(name) ").count == 2)
            #expect(text.components(separatedBy: "# HELP \(name) ").count == 2)
        }
        #expect(samples.allSatisfy { $0.labels.contains("target=\"2\"") })
        let shards = Set(samples.compactMap { $0.labels.split(separator: ",").first { $0.hasPrefix("shard=") } })
        #expect(shards.count == shape.labelCardinality)
        #expect(text.hasSuffix("\n"))
    }

    @Test func countersAreAKnownFunctionOfTime() {
        let exposition = SyntheticExposition(shape: .init(series: 40), target: 0)
        for seconds in [0, 1, 17] {
            let counters = Self.samples(exposition.text(seconds: seconds)).filter {
                $0.name == SyntheticExposition.counterName
            }
            #expect(counters.count == 20)
            let third = counters.first { $0.labels.contains("series=\"3\"") }
            #expect(third?.value == Double(4 * seconds))
        }
    }

    @Test func histogramBucketsGrowUpToTheCount() {
        let shape = SyntheticTargetShape(series: 100, buckets: 5)
        let samples = Self.samples(SyntheticExposition(shape: shape, target: 0).text(seconds: 9))
        #expect(shape.histograms >= 1)
        for index in 0..<shape.histograms {
            let mine = samples.filter { $0.labels.contains("series=\"\(index)\"") }
            let buckets = mine.filter { $0.name.hasSuffix("_bucket") }.map(\.value)
            let count = mine.first {
                $0.name.hasSuffix("_count") && $0.name.hasPrefix(SyntheticExposition.histogramName)
            }
            #expect(buckets.count == 6)
            #expect(buckets == buckets.sorted())
            #expect(buckets.last == count?.value)
            #expect(buckets.last == Double((index + 1) * 9))
        }
    }

    @Test func churnReplacesTheChurningShare() {
        let shape = SyntheticTargetShape(series: 200, churnPeriodSeconds: 10, churnShare: 0.25)
        let exposition = SyntheticExposition(shape: shape, target: 0)
        let series = { (seconds: Int) in
            Set(Self.samples(exposition.text(seconds: seconds)).map { "\($0.name){\($0.labels)}" })
        }
        #expect(series(3) == series(9), "series changed within a churn period")
        let replaced = series(9).subtracting(series(10))
        #expect(replaced.count == exposition.churningSeries)
        #expect(exposition.churningSeries > 0 && exposition.churningSeries < 200)
        #expect(SyntheticExposition(shape: .init(series: 200), target: 0).churningSeries == 0)
    }

    @Test func aBadShapeIsRefusedNamingTheField() {
        #expect(throws: SyntheticTargetShape.Invalid.self) {
            try SyntheticTargetShape(churnPeriodSeconds: 0).validate()
        }
        #expect(throws: SyntheticTargetShape.Invalid.self) { try SyntheticTargetShape(labelCardinality: 0).validate() }
    }
}
