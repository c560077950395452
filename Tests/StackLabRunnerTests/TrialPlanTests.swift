import StackLabCore
import StackLabRunner
import Testing

/// The order trials run in: rounds of repeats, then variant, then workload, then rate (the closed loop last).
struct TrialPlanTests {
    /// A B A B, not A A B B: drift over a run falls on every variant alike. (Before, every repeat of a variant ran
    /// before the next variant, so a machine that slowed down over the run made the later variants look slower.)
    @Test func trialsRunInRoundsOfRepeatsThenVariantThenWorkloadThenRate() throws {
        let yaml = """
            name: plan
            repeats: 2
            workloads:
              json: { path: /json, rates: [max, 100, 200] }
              db: { path: /db, rate: 50 }
            components:
              app: { kind: app, runtime: swift }
            variants:
              a: [app]
              b: [app]
            """
        let spec = try ExperimentSpec(yaml: yaml, file: "plan.yaml")
        let plan = TrialPlan.all(for: spec)
        let rows = plan.map { trial in
            "\(trial.variant.name) \(trial.workloadName ?? "-") \(trial.rate.map { String(Int($0)) } ?? "max") #\(trial.repeatIndex)"
        }
        let round = ["json 100", "json 200", "json max", "db 50"]
        #expect(
            rows
                == round.map { "a \($0) #1" } + round.map { "b \($0) #1" } + round.map { "a \($0) #2" }
                + round.map { "b \($0) #2" })
        let named = try #require(spec.workloads)
        #expect(plan.allSatisfy { trial in trial.workload == named.first { $0.name == trial.workloadName }?.workload })
    }

    /// A capacity search is one entry in the first round (the runner picks its rates and repeats them back to back);
    /// a sweep beside it keeps its rounds.
    @Test func aSearchIsOneEntryInTheFirstRound() throws {
        let yaml = """
            name: plan
            repeats: 3
            slo: { p99: 10ms }
            workloads:
              search: { path: /json, capacity: { from: 100, to: 800 } }
              sweep: { path: /db, rates: [50] }
            components:
              app: { kind: app, runtime: swift }
            variants:
              a: [app]
            """
        let plan = TrialPlan.all(for: try ExperimentSpec(yaml: yaml, file: "plan.yaml"))
        let rows = plan.map { "\($0.workloadName ?? "-") \($0.rate.map { String(Int($0)) } ?? "?") #\($0.repeatIndex)" }
        #expect(rows == ["search ? #1", "sweep 50 #1", "sweep 50 #2", "sweep 50 #3"])
    }

    @Test func aSingleWorkloadPlansAsBefore() throws {
        let yaml = """
            name: plan
            workload: { path: /json, rates: [100, 200] }
            components:
              app: { kind: app, runtime: swift }
            variants:
              a: [app]
            """
        let plan = TrialPlan.all(for: try ExperimentSpec(yaml: yaml, file: "plan.yaml"))
        // Five repeats when the file gives none.
        #expect(plan.map(\.rate) == Array(repeating: [100, 200], count: 5).flatMap { $0 })
        #expect(plan.map(\.repeatIndex) == (1...5).flatMap { [$0, $0] })
        #expect(plan.allSatisfy { $0.workloadName == nil })
    }

    @Test func aWorkloadIsPlannedOnlyOnVariantsThatSpeakItAndSQLAsEachEntrySpeaksIt() throws {
        let yaml = """
            name: databases
            workloads:
              tpcb: { protocol: sql, transaction: tpcb, scale: 3, rates: [100, max] }
              ycsb: { protocol: redis, mix: ycsb-b, rate: 1000 }
            components:
              pg: { kind: postgres }
              maria: { kind: mariadb }
              kv: { kind: redis }
            variants:
              postgres: [pg]
              mariadb: [maria]
              redis: [kv]
            """
        let plan = TrialPlan.all(for: try ExperimentSpec(yaml: yaml + "\nrepeats: 1", file: "plan.yaml"))
        #expect(
            plan.map { "\($0.variant.name) \($0.workloadName ?? "-") \($0.workload.wireProtocol.rawValue)" } == [
                "postgres tpcb postgres", "postgres tpcb postgres", "mariadb tpcb mysql", "mariadb tpcb mysql",
                "redis ycsb redis",
            ])
        #expect(plan.map(\.rate) == [100, nil, 100, nil, 1000])
        // The same transactions at the same scale on both servers.
        #expect(plan.prefix(4).allSatisfy { $0.workload.sql == plan[0].workload.sql })
        #expect(plan.first?.workload.sql?.scale == 3)
    }
}
