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
}
