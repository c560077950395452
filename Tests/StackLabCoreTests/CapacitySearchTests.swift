import Testing

@testable import StackLabCore

/// A capacity search: grow until a rate fails the SLO, then bisect to the precision; and `capacity:` in a spec.
struct CapacitySearchTests {
    /// The probes a search makes against a stack whose true limit is `limit`: a rate passes when it is at most the
    /// limit.
    static func probes(_ search: CapacitySearch, limit: Double) -> [CapacitySearch.Probe] {
        var probes: [CapacitySearch.Probe] = []
        while let rate = search.next(after: probes) {
            probes.append(.init(rate: rate, passed: rate <= limit))
            if probes.count > 100 { break }
        }
        return probes
    }

    @Test(arguments: [150.0, 999, 1_000, 3_333, 12_345, 77_000])
    func theBracketHoldsTheLimitWithinThePrecision(limit: Double) throws {
        let search = CapacitySearch(from: 100, to: 100_000, precision: 0.05)
        let probes = Self.probes(search, limit: limit)
        let pass = try #require(probes.filter(\.passed).map(\.rate).max())
        let failure = try #require(probes.filter { !$0.passed }.map(\.rate).min())
        #expect(pass <= limit && limit < failure)
        #expect(failure <= pass * 1.05, "\(probes)")
        #expect(probes.count <= search.maximumProbes, "\(probes.count) > \(search.maximumProbes)")
        // Doubling first: 100, 200, 400, …
        if limit >= 400 { #expect(probes.prefix(3).map(\.rate) == [100, 200, 400]) }
    }

    @Test func aStackThatPassesTheTopIsALowerBound() {
        let search = CapacitySearch(from: 500, to: 3_000)
        let probes = Self.probes(search, limit: 1e9)
        #expect(probes.map(\.rate) == [500, 1_000, 2_000, 3_000])
        #expect(probes.filter { !$0.passed }.isEmpty)
    }

    @Test func aStackThatFailsTheFirstRateEndsTheSearch() {
        let probes = Self.probes(CapacitySearch(from: 500, to: 3_000), limit: 100)
        #expect(probes == [.init(rate: 500, passed: false)])
    }

    /// A pass above a failure is noise, not capacity: the bracket is below the lowest failure.
    @Test func aPassAboveAFailureDoesNotMoveTheBracket() {
        let search = CapacitySearch(from: 100, to: 10_000, precision: 0.1)
        let next = search.next(after: [
            .init(rate: 100, passed: true), .init(rate: 200, passed: false), .init(rate: 400, passed: true),
        ])
        #expect(next == 150)
    }

    @Test func ratesAreRoundedAsAPersonWritesThem() {
        #expect(CapacitySearch.rounded(3_468.75) == 3_470)
        #expect(CapacitySearch.rounded(123.4) == 123)
        #expect(CapacitySearch.rounded(12_345) == 12_300)
    }

    static func spec(_ workload: String, slo: String? = "slo: { p99: 20ms }") -> String {
        """
        name: search
        \(slo ?? "")
        workload: \(workload)
        components:
          app: { kind: app, runtime: swift }
        variants:
          direct: [app]
        """
    }

    func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "s.yaml") }
        return error.lines
    }

    @Test func capacityReadsWithDefaultsForWhatIsNotGiven() throws {
        let spec = try ExperimentSpec(
            yaml: Self.spec("{ path: /json, capacity: { from: 500/s, precision: 2% }, duration: 5s }"), file: "s.yaml")
        #expect(spec.workload.arrival == .search(CapacitySearch(from: 500, to: 100_000, precision: 0.02)))
        #expect(spec.workload.summary.contains("capacity search 500–100000/s to 2%"), "\(spec.workload.summary)")
        let short = try ExperimentSpec(yaml: Self.spec("{ path: /json, rates: search }"), file: "s.yaml")
        #expect(short.workload.arrival == .search(CapacitySearch()))
    }

    @Test func aSearchWithoutAnSLOIsRefusedAtTheWorkload() throws {
        let lines = try problems(Self.spec("{ path: /json, capacity: {} }", slo: nil))
        #expect(lines.contains { $0.contains("s.yaml:3") && $0.contains("slo") && $0.contains("capacity search") })
    }

    @Test func badCapacityKeysNameLineAndKey() throws {
        let lines = try problems(
            Self.spec("{ path: /json, capacity: { from: 2000, to: 1000, precision: 80%, step: 2 } }"))
        #expect(lines.contains { $0.contains("workload.capacity.step") })
        #expect(lines.contains { $0.contains("workload.capacity.precision") && $0.contains("0.1% to 50%") })
        let order = try problems(Self.spec("{ path: /json, capacity: { from: 2000, to: 1000 } }"))
        #expect(order.contains { $0.contains("workload.capacity.to") && $0.contains("must be more than from") })
        let both = try problems(Self.spec("{ path: /json, rate: 100, capacity: {} }"))
        #expect(both.contains { $0.contains("only one of rate, stages, rates and capacity") })
    }

    @Test func runRatesSearchNeedsAnSLO() throws {
        var spec = try ExperimentSpec(yaml: Self.spec("{ path: /json, rate: 100 }", slo: nil), file: "s.yaml")
        #expect(throws: UserError.self) { try spec.overrideRates("search") }
        var withSLO = try ExperimentSpec(yaml: Self.spec("{ path: /json, rate: 100 }"), file: "s.yaml")
        try withSLO.overrideRates("search")
        #expect(withSLO.workload.isSearch)
    }
}
