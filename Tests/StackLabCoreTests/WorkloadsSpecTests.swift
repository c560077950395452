import Testing

@testable import StackLabCore

/// `workloads:`: several named workloads in one experiment, and `rates` with `max` for a closed loop as well.
struct WorkloadsSpecTests {
    static let yaml = """
        name: endpoints
        workloads:
          plaintext: { path: /plaintext, rates: [max, 1000], connections: 8, duration: 3s }
          db:
            path: /db
            rate: 500
        components:
          app: { kind: app, runtime: swift }
        variants:
          direct: [app]
        """

    func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        return error.lines
    }

    @Test func eachNamedWorkloadReadsInTheFilesOrder() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        let workloads = try #require(spec.workloads)
        #expect(workloads.map(\.name) == ["plaintext", "db"])
        #expect(workloads[0].workload.requests.map(\.path) == ["/plaintext"])
        #expect(workloads[0].workload.arrival == .sweep(rates: [1000]))
        #expect(workloads[0].workload.includesClosedLoop == true)
        #expect(workloads[0].workload.connections == 8)
        #expect(workloads[0].workload.durationNanoseconds == 3_000_000_000)
        #expect(workloads[1].workload.arrival == .constant(rate: 500))
        #expect(workloads[1].workload.includesClosedLoop == nil)
        // The first named workload stands for the experiment where one is expected.
        #expect(spec.workload == workloads[0].workload)
        #expect(workloads[0].workload.summary.contains("1000/s and closed loop"))
    }

    @Test func aSingleWorkloadHasNoNames() throws {
        let yaml = Self.yaml.replacingOccurrences(
            of:
                "workloads:\n  plaintext: { path: /plaintext, rates: [max, 1000], connections: 8, duration: 3s }\n  db:\n    path: /db\n    rate: 500",
            with: "workload: { path: /db, rate: 500 }")
        let spec = try ExperimentSpec(yaml: yaml, file: "e.yaml")
        #expect(spec.workloads == nil)
        #expect(spec.trialWorkloads.map(\.name) == [nil])
        #expect(spec.workload.arrival == .constant(rate: 500))
    }

    @Test func workloadAndWorkloadsTogetherIsAnErrorOnTheLineOfWorkloads() throws {
        let yaml = Self.yaml.replacingOccurrences(
            of: "name: endpoints\n", with: "name: endpoints\nworkload: { path: /json, rate: 10 }\n")
        #expect(
            try problems(yaml) == [
                "e.yaml:3: workloads: give either workload (one) or workloads (several, by name), not both"
            ])
    }

    @Test func anUnknownKeyInOneWorkloadNamesThatWorkload() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "    rate: 500", with: "    rate: 500\n    conections: 4")
        let lines = try problems(yaml)
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix("e.yaml:7: workloads.db.conections: unknown key; did you mean 'connections'?")
                == true)
    }

    @Test(arguments: [
        ("workloads: {}", "e.yaml:2: workloads: no workloads"),
        ("workloads: [json]", "e.yaml:2: workloads: expected a mapping of workload names to workloads"),
        ("workloads:\n  j son: { path: /json, rate: 1 }", "e.yaml:3: workloads.j son: 'j son' may hold only letters"),
        (
            "workloads:\n  json: { path: /json, rates: [max, max] }",
            "e.yaml:3: workloads.json.rates[1]: max is listed twice"
        ),
        (
            "workloads:\n  json: { path: /json, rates: [1000, max, 500] }",
            "e.yaml:3: workloads.json.rates[2]: list the rates in increasing order"
        ),
    ])
    func mistakesInWorkloadsAreReportedWithTheirLine(text: String, expected: String) throws {
        let yaml = """
            name: endpoints
            \(text)
            components:
              app: { kind: app, runtime: swift }
            variants:
              direct: [app]
            """
        let lines = try problems(yaml)
        #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
    }

    @Test func ratesOfMaxAloneIsAClosedLoop() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "rates: [max, 1000]", with: "rates: [max]")
        let spec = try ExperimentSpec(yaml: yaml, file: "e.yaml")
        #expect(spec.workloads?.first?.workload.arrival == .closedLoop)
    }

    @Test func neitherWorkloadNorWorkloadsSaysWhatToWrite() throws {
        let yaml = "name: e\ncomponents:\n  app: { kind: app, runtime: swift }\nvariants:\n  direct: [app]\n"
        let lines = try problems(yaml)
        #expect(
            lines.contains { $0.hasPrefix("e.yaml:1: workload: required key is missing") && $0.contains("workloads:") })
    }

    @Test func durationOverrideChangesEveryWorkload() throws {
        var spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        spec.changeWorkloads { $0.durationNanoseconds = 1_000_000_000 }
        #expect(spec.trialWorkloads.map(\.workload.durationNanoseconds) == [1_000_000_000, 1_000_000_000])
        #expect(spec.workload.durationNanoseconds == 1_000_000_000)
    }
}
