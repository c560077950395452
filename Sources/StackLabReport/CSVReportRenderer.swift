import StackLabCore

/// One row per trial per component (the load generator last, as `stacklab (load)`), for notebooks and
/// spreadsheets; `workload` names the workload in a run of several. Columns are only ever added, at the end.
/// Latencies in µs, memory in bytes, money in dollars; cost columns are empty when not priced.
///
/// `usage_dollars` is a component's compute (CPU, memory, storage); the trial's egress is on the row of the component
/// at the stack's edge (the first, where the bytes leave), in `egress_dollars`, so that usage plus egress over a
/// trial's component rows adds up to `trial_total_dollars`.
public struct CSVReportRenderer: ReportRenderer {
    public init() {}

    public static let columns = [
        "run_id", "experiment", "variant", "repeat", "offered_rate", "achieved_rate", "requests", "errors",
        "error_rate", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "slo_met", "generator_verdict", "component",
        "kind", "cpu_seconds", "cpu_cores", "avg_rss_bytes", "peak_rss_bytes", "memory_gib_seconds",
        "disk_read_bytes", "disk_write_bytes", "usage_dollars", "allocation_dollars", "per_million_requests",
        "stored_bytes", "disk_read_ops", "disk_write_ops", "read_iops", "write_iops", "iops_counted_on",
        // An app's facts from before the trials (the report's Runtimes table), on each of its rows.
        "cold_start_median_us", "artifact_bytes", "build_clean_seconds", "build_incremental_seconds",
        "idle_rss_bytes", "not_installed",
        "workload",
        // Compute and egress apart: the components' usage_dollars plus egress_dollars sum to trial_total_dollars.
        "egress_dollars", "egress_kind", "trial_total_dollars",
    ]

    public func render(_ report: RunReport) -> String {
        var lines = [Self.columns.joined(separator: ",")]
        let record = report.record
        let apps = ReportTables.runtimeEntries(report)
        for trial in record.trials {
            let load = trial.load
            let cost = report.cost(of: trial)
            let trialCells: [String] = [
                record.id, record.spec.name, trial.variant, String(trial.repeatIndex),
                trial.offeredRate.map(Self.number) ?? "", Self.number(load.achievedRate),
                String(load.requests.completed), String(load.errors.total), Self.number(load.errorRate),
                Self.number(load.latency.p50), Self.number(load.latency.p90), Self.number(load.latency.p99),
                Self.number(load.latency.p999), Self.number(load.latency.max),
                load.thresholds.isEmpty ? "" : String(load.thresholds.allSatisfy(\.passed)), load.generator.label,
            ]
            let rows =
                trial.components.map { ($0.name, $0.kind, $0.usage, $0.storedBytes) }
                + [("stacklab (load)", "load", trial.generator, nil)]
            for (index, (name, kind, usage, stored)) in rows.enumerated() {
                let operations = usage.diskOperations
                let componentCost = cost?.components.first { $0.name == name }
                let cells =
                    trialCells + [
                        name, kind, Self.number(usage.cpuSeconds), Self.number(usage.cores),
                        String(usage.averageRSSBytes), String(usage.peakRSSBytes), Self.number(usage.memoryGiBSeconds),
                        String(usage.diskReadBytes), String(usage.diskWriteBytes),
                        componentCost.map { Self.number($0.usage) } ?? "",
                        componentCost.map { Self.number($0.allocation) } ?? "",
                        componentCost?.perMillionRequests.map(Self.number) ?? "",
                        stored.map(String.init) ?? "", operations.map { String($0.reads) } ?? "",
                        operations.map { String($0.writes) } ?? "", usage.readIOPS.map(Self.number) ?? "",
                        usage.writeIOPS.map(Self.number) ?? "", operations?.label ?? "",
                    ] + Self.appCells(apps.first { $0.variant == trial.variant && $0.component == name })
                    + [trial.workload ?? ""]
                    + Self.egressCells(cost, edge: index == 0, generator: index == rows.count - 1, report: report)
                lines.append(cells.map(Self.field).joined(separator: ","))
            }
        }
        // A variant not run because its runtime is missing: one row that says so.
        for facts in apps where facts.notInstalled != nil {
            var cells = [String](repeating: "", count: Self.columns.count)
            cells[0] = record.id
            cells[1] = record.spec.name
            cells[2] = facts.variant
            cells[16] = facts.component
            cells[17] = "app"
            let appColumns = Self.columns.firstIndex(of: "cold_start_median_us")!
            cells[appColumns..<appColumns + 6] = ArraySlice(Self.appCells(facts))
            lines.append(cells.map(Self.field).joined(separator: ","))
        }
        if let drills = record.recoveries, !drills.isEmpty {
            // A second table after one empty line, as spreadsheet tools read a sheet with two blocks.
            lines.append("")
            lines.append(Self.recoveryColumns.joined(separator: ","))
            for drill in drills {
                let cells: [String] = [
                    record.id, drill.variant, drill.component, drill.kind, drill.method,
                    drill.backupSeconds.map(Self.number) ?? "", drill.backupBytes.map(String.init) ?? "",
                    drill.restoreSeconds.map(Self.number) ?? "", String(drill.sourceRows),
                    drill.restoredRows.map(String.init) ?? "", String(drill.passed),
                    drill.failure ?? drill.mismatchedTables.joined(separator: " "),
                ]
                lines.append(cells.map(Self.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `egress_dollars`, `egress_kind` and `trial_total_dollars` of one row: egress on the edge component's row, 0
    /// on the others', empty on the load generator's and when not priced.
    static func egressCells(_ cost: TrialCost?, edge: Bool, generator: Bool, report: RunReport) -> [String] {
        guard let cost, !generator else { return ["", "", ""] }
        let kind = (report.costs ?? report.workloads.first?.report.costs)?.egress.rawValue ?? ""
        return [number(edge ? cost.egress : 0), kind, number(cost.usage)]
    }

    /// The six columns of an app's facts for its rows; empty cells for other components.
    static func appCells(_ facts: ReportDocument.RuntimeEntry?) -> [String] {
        guard let facts else { return ["", "", "", "", "", ""] }
        return [
            facts.coldStartMicros.map { number($0.median) } ?? "", facts.artifactBytes.map { String($0) } ?? "",
            facts.cleanBuild.map { number($0.seconds) } ?? "", facts.incrementalBuild.map { number($0.seconds) } ?? "",
            facts.idleRSSBytes.map { String($0) } ?? "", facts.notInstalled ?? "",
        ]
    }

    /// The columns of the backup and restore block, which follows the trial rows after an empty line when the
    /// run took drills.
    public static let recoveryColumns = [
        "run_id", "variant", "component", "kind", "method", "backup_seconds", "backup_bytes", "restore_seconds",
        "source_rows", "restored_rows", "matches", "problem",
    ]

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
