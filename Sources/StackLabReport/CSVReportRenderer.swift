import StackLabCore

/// One row per trial per component (the load generator last, as `stacklab (load)`), for notebooks and
/// spreadsheets; `workload` (last, so older readers keep their columns) names the workload in a run of several.
/// Latencies in µs, memory in bytes, money in dollars; cost columns are empty when not priced.
public struct CSVReportRenderer: ReportRenderer {
    public init() {}

    public static let columns = [
        "run_id", "experiment", "variant", "repeat", "offered_rate", "achieved_rate", "requests", "errors",
        "error_rate", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "slo_met", "generator_verdict", "component",
        "kind", "cpu_seconds", "cpu_cores", "avg_rss_bytes", "peak_rss_bytes", "memory_gib_seconds",
        "disk_read_bytes", "disk_write_bytes", "usage_dollars", "allocation_dollars", "per_million_requests",
        "workload",
    ]

    public func render(_ report: RunReport) -> String {
        var lines = [Self.columns.joined(separator: ",")]
        let record = report.record
        for trial in record.trials {
            let load = trial.load
            let cost = report.cost(of: trial)
            let trialCells: [String] = [
                record.id, record.spec.name, trial.variant, String(trial.repeatIndex),
                trial.offeredRate.map(Self.number) ?? "", Self.number(load.achievedRate),
                String(load.requests.completed), String(load.errors.total), Self.number(load.errorRate),
                Self.number(load.latency.p50), Self.number(load.latency.p90), Self.number(load.latency.p99),
                Self.number(load.latency.p999), Self.number(load.latency.max),
                load.thresholds.isEmpty ? "" : String(load.thresholds.allSatisfy(\.passed)), load.generator.verdict,
            ]
            let rows =
                trial.components.map { ($0.name, $0.kind, $0.usage) } + [("stacklab (load)", "load", trial.generator)]
            for (name, kind, usage) in rows {
                let componentCost = cost?.components.first { $0.name == name }
                let cells =
                    trialCells + [
                        name, kind, Self.number(usage.cpuSeconds), Self.number(usage.cores),
                        String(usage.averageRSSBytes), String(usage.peakRSSBytes), Self.number(usage.memoryGiBSeconds),
                        String(usage.diskReadBytes), String(usage.diskWriteBytes),
                        componentCost.map { Self.number($0.usage) } ?? "",
                        componentCost.map { Self.number($0.allocation) } ?? "",
                        componentCost?.perMillionRequests.map(Self.number) ?? "", trial.workload ?? "",
                    ]
                lines.append(cells.map(Self.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Full precision, no grouping, `.` as the decimal point, whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
