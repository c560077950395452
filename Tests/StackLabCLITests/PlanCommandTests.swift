import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab plan` over a stored sweep: 1 core per 1,000/s, 500/s within the SLO, a 1-core request, no cold start
/// measured (so the plan assumes 30 s).
struct PlanCommandTests {
    func store() async throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-plan-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("stacklab.sqlite").path
        try await SQLiteResultsStore(path: path).beginRun(try RunRecordFixture.sweep())
        return (path, directory)
    }

    /// A step from 1,000/s to 2,000/s at 10 min under a 50% target: 2 replicas, then 4 one sync and 30 s after
    /// the step, against 4 static replicas; 45 s of overload make one minute over the SLO.
    @Test func stepPlanInEveryFormat() async throws {
        let (store, directory) = try await store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = [
            "plan", "latest", "--trace", "step", "--peak", "2000", "--length", "20m", "--target-cpu", "50%",
            "--store", store,
        ]
        let svg = directory.appendingPathComponent("plan.svg").path
        let text = try CommandRunner.run(arguments + ["--svg", svg])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("variant direct · trace step (peak 2,000/s, 20 min)"))
        #expect(text.stdout.contains("capacity 500/s within the SLO"))
        #expect(text.stdout.contains("start-up 30 s (assumed"))
        #expect(text.stdout.contains("static (4 replicas)"))
        #expect(text.stdout.contains("replicas min / avg / max"))
        #expect(text.stdout.contains("45 s (1×)"))
        #expect(text.stdout.contains("1 of 20"))
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))

        let json = try CommandRunner.run(arguments + ["--format", "json"])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let autoscaler = try #require(document["autoscaler"] as? [String: Any])
        let fixed = try #require(document["static"] as? [String: Any])
        #expect(document["schema"] as? String == "stacklab.plan/1")
        #expect(autoscaler["replicasMin"] as? Int == 2 && autoscaler["replicasMax"] as? Int == 4)
        #expect(autoscaler["scaleUpLatencySeconds"] as? [Int] == [45])
        #expect(autoscaler["violationMinutes"] as? Int == 1 && fixed["violationMinutes"] as? Int == 0)
        #expect((autoscaler["minutes"] as? [Any])?.count == 20)
        #expect((autoscaler["dollars"] as? Double ?? 1) < (fixed["dollars"] as? Double ?? 0))
        // The VPA sees the static pods at 0.25 core for 10 min, then 0.5: its target is the 0.5 bucket's end + 15%.
        let vpa = try #require(document["vpaCPU"] as? [Double])
        #expect(vpa[1] >= 0.5 * 1.15 && vpa[1] <= 0.5 * 1.15 * 1.1, "\(vpa)")

        let html = try CommandRunner.run(arguments + ["--format", "html"])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<svg"))
        let minutes = try CommandRunner.run(arguments + ["--minutes"])
        let table = try #require(minutes.stdout.components(separatedBy: "HPA minute by minute\n").last)
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 21)
        // Minute 10 holds the step: 2 pods until 615 s, 4 from then on, over the SLO until 645 s.
        #expect(rows[11].first == "10" && rows[11][2] == "4" && rows[11].last == "yes", "\(rows[11])")
        let md = try CommandRunner.run(arguments + ["--format", "md"])
        #expect(md.stdout.contains("| replicas min / avg / max | 2 / "))
    }

    /// KEDA beside: a third column, and at 400/s a replica the step's 2,000/s peak needs 5 replicas.
    @Test func kedaColumn() async throws {
        let (store, directory) = try await store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = [
            "plan", "latest", "--trace", "step", "--peak", "2000", "--length", "20m", "--keda", "400", "--store", store,
        ]
        let text = try CommandRunner.run(arguments)
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("KEDA (400/s a replica)"))
        let json = try CommandRunner.run(arguments + ["--format", "json"])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let keda = try #require(document["keda"] as? [String: Any])
        #expect(keda["replicasMax"] as? Int == 5)
    }

    @Test func csvTraceAndBadInput() async throws {
        let (store, directory) = try await store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("trace.csv").path
        try "time_seconds,rate\n0,200\n600,800\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let good = try CommandRunner.run(["plan", "latest", "--trace", csv, "--store", store])
        #expect(good.exitCode == 0, "\(good.stderr)")
        #expect(good.stdout.contains("trace trace.csv (peak 800/s, 10 min)"))

        let bad = directory.appendingPathComponent("bad.csv").path
        try "time_seconds,rate\n0,200\n60,fast\n".write(toFile: bad, atomically: true, encoding: .utf8)
        for (arguments, message) in [
            (["--trace", bad], "bad.csv:3: rate: 'fast' is not a rate ≥ 0"),
            (["--trace", "weekly"], "--trace: 'weekly' is none of diurnal, spike, step, nor a .csv file"),
            (["--variant", "nope"], "has no variant 'nope'"),
            (["--target-cpu", "0%"], "--target-cpu must be a percent"),
            (["--min", "5", "--max", "2"], "--min and --max"),
            (["--keda", "0"], "--keda must be above 0"),
        ] {
            let outcome = try CommandRunner.run(["plan", "latest"] + arguments + ["--store", store])
            #expect(outcome.exitCode == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
        }
    }
}
