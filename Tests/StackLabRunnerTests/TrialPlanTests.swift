import StackLabCore
import StackLabRunner
import Testing

/// The order trials run in: variant, then workload, then rate (the closed loop last), then repeat.
struct TrialPlanTests {
    @Test func trialsRunVariantByVariantThenWorkloadThenRateThenRepeat() throws {
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
        let perVariant = [
            "json 100 #1", "json 100 #2", "json 200 #1", "json 200 #2", "json max #1", "json max #2", "db 50 #1",
            "db 50 #2",
        ]
        #expect(rows == perVariant.map { "a " + $0 } + perVariant.map { "b " + $0 })
        let named = try #require(spec.workloads)
        #expect(plan.allSatisfy { trial in trial.workload == named.first { $0.name == trial.workloadName }?.workload })
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
        #expect(plan.map(\.rate) == [100, 200])
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
        let plan = TrialPlan.all(for: try ExperimentSpec(yaml: yaml, file: "plan.yaml"))
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
