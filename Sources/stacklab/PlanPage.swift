import Foundation
import StackLabCore
import StackLabReport
import StackLabScaling

/// A plan as text, Markdown, JSON or a self-contained HTML page with its chart.
struct PlanPage {
    var plan: ScalingPlan
    var run: String
    /// Add the HPA's minute-by-minute table (text and md).
    var minutes = false

    func render(_ format: PlanCommand.Format) throws -> String {
        switch format {
        case .text:
            var table = TextTable()
            for row in rows() { table.add(row) }
            var minuteTable = TextTable()
            for row in minuteRows() { minuteTable.add(row) }
            return (header().map { $0 + "\n" }.joined()) + "\n" + table.render() + "\n\n" + verdict() + "\n"
                + (minutes ? "\nHPA minute by minute\n" + minuteTable.render() + "\n" : "")
        case .md:
            return "# StackLab plan `\(run)`\n\n" + header().map { "- \($0)\n" }.joined() + "\n" + markdown(rows())
                + "\n" + verdict() + "\n" + (minutes ? "\n## HPA minute by minute\n\n" + markdown(minuteRows()) : "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(PlanDocument(plan: plan, run: run)), as: UTF8.self) + "\n"
        case .html:
            return html()
        }
    }

    func header() -> [String] {
        let profile = plan.profile
        let curve = profile.curve
        let slo = curve.p99Limit.map { " (p99 ≤ \(DurationText.micros($0)))" } ?? ""
        let bound =
            curve.capacityIsLowerBound
            ? "; every rate tried met the SLO, so this is a lower bound: the real capacity is higher" : ""
        let hpa = plan.hpa
        return [
            "stacklab plan · run \(run) · variant \(profile.variant)"
                + (profile.workload.map { " · workload \($0)" } ?? "") + " · trace \(plan.trace.name) "
                + "(peak \(NumberText.rate(plan.trace.peak))/s, \(Self.length(plan.trace.length)))",
            "replica: \(profile.components.joined(separator: " + ")) · capacity "
                + "\(curve.capacityIsLowerBound ? "≥ " : "")\(NumberText.rate(curve.capacity))/s within the SLO\(slo)\(bound)",
            "start-up \(plan.startupSeconds) s (\(plan.startupSource)) · CPU request "
                + "\(NumberText.trimmed(plan.cpuRequest)) cores (\(plan.cpuRequestSource)) · memory "
                + "\(NumberText.trimmed(plan.memoryGiB)) GiB (\(plan.memorySource))",
            "HPA: target \(NumberText.trimmed(hpa.targetUtilization * 100))% CPU, min \(hpa.minReplicas), max "
                + "\(hpa.maxReplicas), sync \(hpa.syncPeriodSeconds) s, tolerance \(NumberText.trimmed(hpa.tolerance)), "
                + "stabilization up \(hpa.scaleUp.stabilizationWindowSeconds) s / down "
                + "\(hpa.scaleDown.stabilizationWindowSeconds) s · static: \(plan.staticReplicas) replicas for the peak",
            "prices: \(plan.catalog.name) (\(MoneyText.dollars(plan.catalog.cpuPerVCPUHour))/vCPU-h, "
                + "\(MoneyText.dollars(plan.catalog.memoryPerGiBHour))/GiB-h of the requests)",
        ]
    }

    /// `24 h`, `90 min`, `45 s`.
    static func length(_ seconds: Int) -> String {
        if seconds >= 7_200, seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        return seconds >= 120 ? "\(NumberText.trimmed(Double(seconds) / 60, maximumDigits: 1)) min" : "\(seconds) s"
    }

    func rows() -> [[String]] {
        let results = [plan.autoscaled, plan.fixed] + (plan.keda.map { [$0] } ?? [])
        let month = 30 * 86_400 / Double(max(1, plan.trace.length))
        func each(_ cell: (SimulationResult) -> String) -> [String] { results.map(cell) }
        return [
            ["", "autoscaler (HPA)", "static (\(plan.staticReplicas) replicas)"]
                + (plan.kedaSpec.map { ["KEDA (\(NumberText.rate($0.threshold))/s a replica)"] } ?? []),
            ["replicas min / avg / max"]
                + each {
                    "\($0.minReplicas) / \(NumberText.trimmed($0.averageReplicas, maximumDigits: 1)) / \($0.maxReplicas)"
                },
            ["minutes over the SLO"] + each { "\($0.violationMinutes) of \($0.minutes.count)" },
            ["scale-up latency (max, times)"]
                + each { result in
                    let unanswered = result.unansweredOverloads > 0 ? ", \(result.unansweredOverloads) unanswered" : ""
                    return
                        (result.scaleUpLatencies.max().map { "\($0) s (\(result.scaleUpLatencies.count)×)" } ?? "none")
                        + unanswered
                },
            ["CPU requested, core-h"] + each { NumberText.trimmed($0.requestedCoreSeconds / 3_600) },
            ["CPU used, core-h"] + each { NumberText.trimmed($0.usedCoreSeconds / 3_600) },
            ["CPU wasted (requested, unused)"]
                + each {
                    "\(NumberText.trimmed($0.wastedCoreHours)) core-h ("
                        + NumberText.percent($0.wastedCoreHours * 3_600 / max($0.requestedCoreSeconds, 1e-9), digits: 0)
                        + ")"
                },
            ["$ over the trace"] + each { MoneyText.dollars(plan.dollars($0)) },
            ["$ per 30 days of this trace"] + each { MoneyText.dollars(plan.dollars($0) * month) },
        ]
    }

    func verdict() -> String {
        var notes: [String] = []
        if let held = plan.rateAtTarget, held > plan.profile.curve.capacity {
            notes.append(
                "At \(NumberText.trimmed(plan.hpa.targetUtilization * 100))% CPU a replica serves "
                    + "\(NumberText.rate(held))/s, more than its \(NumberText.rate(plan.profile.curve.capacity))/s "
                    + "within the SLO: this HPA lets replicas run past the SLO; a lower --target-cpu holds them within it."
            )
        }
        if plan.profile.curve.capacityIsLowerBound, plan.autoscaled.violationMinutes > 0 {
            notes.append(
                "Every rate measured met the SLO: minutes past the highest measured rate are counted over the SLO "
                    + "because their p99 is unknown, not known to fail.")
        }
        if let vpa = plan.vpa {
            let now = plan.dollars(plan.fixed)
            let then = plan.dollarsAtVPATarget(vpa)
            notes.append(
                "VPA recommender on the static replicas: CPU \(NumberText.trimmed(vpa.cpu.target)) cores (lower "
                    + "\(NumberText.trimmed(vpa.cpu.lower)), upper \(NumberText.trimmed(vpa.cpu.upper))), memory "
                    + "\(NumberText.trimmed(vpa.memory.target / 1_073_741_824)) GiB; at its target static provisioning "
                    + "costs \(MoneyText.dollars(then)) instead of \(MoneyText.dollars(now)).")
        }
        let saved = plan.savings
        let word =
            saved >= 0
            ? "saves \(NumberText.percent(saved, digits: 0)) of"
            : "costs \(NumberText.percent(-saved, digits: 0)) more than"
        let summary =
            "The autoscaler \(word) static provisioning for the peak, with \(plan.autoscaled.violationMinutes) "
            + "minutes over the SLO against \(plan.fixed.violationMinutes)."
        return ([summary] + notes).joined(separator: "\n")
    }

    /// The HPA's minutes: load, pods, pods starting, p99 at the busiest second per replica, CPU, over the SLO.
    func minuteRows() -> [[String]] {
        [["minute", "load/s", "replicas", "starting", "p99", "CPU used", "CPU requested", "over SLO"]]
            + plan.autoscaled.minutes.map { minute in
                [
                    "\(minute.minute)", NumberText.rate(minute.load), "\(minute.replicas)", "\(minute.starting)",
                    minute.p99.map { DurationText.micros($0) } ?? "unknown",
                    NumberText.trimmed(minute.cpuUsed, maximumDigits: 2),
                    NumberText.trimmed(minute.cpuRequested, maximumDigits: 2), minute.violation ? "yes" : "",
                ]
            }
    }

    func markdown(_ rows: [[String]]) -> String {
        var lines = [
            "| " + rows[0].joined(separator: " | ") + " |",
            "| --- |" + String(repeating: " ---: |", count: rows[0].count - 1),
        ]
        lines += rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }

    func html() -> String {
        let escape = XMLEscaped
        let table = rows().enumerated().map { index, row in
            let cell = index == 0 ? "th" : "td"
            return "<tr>" + row.map { "<\(cell)>\(escape($0))</\(cell)>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>StackLab plan \(escape(run))</title>
            <style>body{font-family:system-ui,sans-serif;color:#222;max-width:60rem;margin:2rem auto;padding:0 1rem}\
            table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #e4e4e4;text-align:right}\
            td:first-child,th:first-child{text-align:left}</style></head><body>
            <h1>StackLab plan <code>\(escape(run))</code></h1>
            <ul>\(header().map { "<li>\(escape($0))</li>" }.joined())</ul>
            <table>
            \(table)
            </table>
            <p>\(escape(verdict()))</p>
            \(PlanChart(plan: plan).render())
            </body></html>

            """
    }
}
