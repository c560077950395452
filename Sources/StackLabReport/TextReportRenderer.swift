import Foundation

/// The terminal report: ``RunSummary``'s tables, then the cost and capacity tables, columns lined up.
public struct TextReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: RunReport) -> String {
        guard report.workloads.isEmpty else { return renderWorkloads(report) }
        var lines = [RunSummary.render(report.record)]
        lines += Self.perVariant(report, "stored data and IOPS (median)") { ReportTables.storage(report, variant: $0) }
        if let note = ReportTables.storageNote(report) { lines.append("  " + note) }
        let ingestion = Self.perVariant(report, "metrics ingestion (medians across repeats)") {
            ReportTables.ingestion(report, variant: $0)
        }
        lines += ingestion
        if !ingestion.isEmpty { lines.append("  " + ReportTables.ingestionNote) }
        let messaging = Self.perVariant(report, "messages (medians across repeats)") {
            ReportTables.messaging(report, variant: $0)
        } after: {
            ReportTables.messagingLimitSentence(report, variant: $0).map { "  " + $0 }
        }
        lines += messaging
        if !messaging.isEmpty { lines.append("  " + ReportTables.messagingNote(report)) }
        lines += Self.recoveries(report)
        if let layers = ReportTables.layers(report) {
            lines.append("")
            lines.append("what each variant adds to \(report.record.spec.variants.first?.name ?? "the first variant")")
            lines.append(Self.text(layers))
            lines.append("")
            lines.append("  " + ReportTables.layersNote)
        }
        if let tls = ReportTables.tlsPremium(report) {
            lines.append("")
            lines.append("what TLS adds to the same stack")
            lines.append(Self.text(tls))
        }
        lines += Self.mesh(report)
        if let limits = ReportTables.cpuLimits(report) {
            lines += ["", "CPU limits (medians across repeats)", Self.text(limits), ""]
            lines.append("  " + ReportTables.cpuLimitsNote)
        }
        lines += Self.runtimes(report)
        guard let catalog = report.catalog else { return lines.joined(separator: "\n") + "\n" }
        lines.append("")
        lines.append("cost · " + ReportTables.catalogText(catalog))
        if let costs = report.costs {
            lines.append("  egress: " + ReportTables.egressText(costs))
            if let allocation = ReportTables.allocationText(costs) { lines.append("  CPU priced: " + allocation) }
        }
        for variant in report.variants {
            guard let table = ReportTables.cost(report, variant: variant.name), !table.rows.isEmpty else { continue }
            lines.append("")
            lines.append("variant \(variant.name): cost of the measured window")
            lines.append(Self.text(table))
        }
        if let capacity = ReportTables.capacity(report) {
            lines.append("")
            lines.append("capacity at the SLO")
            lines.append(Self.text(capacity))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A run of several workloads: a table per workload, then each workload reported as a run of its own.
    private func renderWorkloads(_ report: RunReport) -> String {
        let record = report.record
        var lines = [
            "stacklab run \(record.spec.name) · \(record.status.rawValue) · \(record.trials.count) trials · "
                + "\(report.workloads.count) workloads · run \(record.id)"
        ]
        for workload in report.workloads {
            lines.append("")
            lines.append("workload \(workload.name): \(workload.report.record.spec.workload.summary)")
            lines.append(Self.text(ReportTables.workload(workload.report)))
        }
        lines += Self.runtimes(report) + Self.recoveries(report)
        for workload in report.workloads {
            lines.append("")
            lines.append("━━ workload \(workload.name)")
            lines.append(render(workload.report).trimmingCharacters(in: .newlines))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The run-wide Runtimes table (apps' cold start, artifact, builds, memory); none without apps.
    private static func runtimes(_ report: RunReport) -> [String] {
        guard let runtimes = ReportTables.runtimes(report) else { return [] }
        return [
            "", "runtimes: cold start (spawn to first correct GET /json), artifact, builds, memory", text(runtimes),
        ]
    }

    /// The run-wide backup and restore table with its verdict; none when the run took no drills.
    private static func recoveries(_ report: RunReport) -> [String] {
        guard let recoveries = ReportTables.recoveries(report) else { return [] }
        return ["", "backup and restore · " + (ReportTables.recoveryVerdict(report.record) ?? ""), text(recoveries)]
    }

    /// A report table as lined-up text: the header, then the rows.
    /// A table per variant that has one, each under `variant NAME: heading`, with `after`'s line below it when
    /// it gives one; no lines when no variant has a table.
    static func perVariant(
        _ report: RunReport, _ heading: String, table: (String) -> ReportTable?,
        after: (String) -> String? = { _ in nil }
    ) -> [String] {
        report.variants.flatMap { variant -> [String] in
            guard let table = table(variant.name) else { return [] }
            return ["", "variant \(variant.name): \(heading)", text(table)] + [after(variant.name)].compactMap { $0 }
        }
    }

    static func text(_ table: ReportTable) -> String {
        let rows = [table.header] + table.paddedRows
        var widths = [Int](repeating: 0, count: table.header.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            let cells = row.prefix(widths.count).enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return table.alignment(of: index) == .left ? cell + padding : padding + cell
            }
            let line = "  " + cells.joined(separator: "  ")
            return String(line[..<(line.lastIndex { $0 != " " }.map(line.index(after:)) ?? line.endIndex)])
        }.joined(separator: "\n")
    }

    /// The mesh's cost and premiums, with what they mean and what is missing.
    static func mesh(_ report: RunReport) -> [String] {
        guard let note = ReportTables.meshNote(report) else { return [] }
        var lines: [String] = []
        if let cost = ReportTables.meshCost(report) {
            lines += ["", "what the mesh adds", text(cost)]
        }
        if let premiums = ReportTables.meshPremiums(report) {
            lines += ["", "mesh premiums, each on its own", text(premiums)]
        }
        return lines + ["", "  " + note]
    }
}
