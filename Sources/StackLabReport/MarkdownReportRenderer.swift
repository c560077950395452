/// The report in GitHub-flavoured Markdown, for a pull request or a blog post: the header, then per variant its
/// latency, resource and cost tables, then capacity.
///
/// Markdown cannot hold inline SVG that GitHub shows, so charts are images beside the file: with a
/// `chartDirectory`, the report links `chartDirectory/NAME.svg` for each of ``ReportCharts/all(_:)`` (whoever
/// writes the report writes those files, ``ReportCharts/Chart/file``); without one, it has tables only.
public struct MarkdownReportRenderer: ReportRenderer {
    /// Where the chart images are, relative to the Markdown file; nil leaves charts out.
    public var chartDirectory: String?

    public init(chartDirectory: String? = nil) {
        self.chartDirectory = chartDirectory
    }

    /// `![title](directory/file.svg)` for each chart of `kinds`, when charts are linked.
    private func images(_ charts: [ReportCharts.Chart], _ kinds: Set<String>) -> [String] {
        guard let chartDirectory else { return [] }
        let prefix = chartDirectory.isEmpty || chartDirectory.hasSuffix("/") ? chartDirectory : chartDirectory + "/"
        return charts.filter { kinds.contains($0.kind) }.flatMap { chart in
            ["", "![\(MarkdownText.text(chart.title))](\(prefix)\(chart.fileName))"]
        }
    }

    public func render(_ report: RunReport) -> String {
        var out: [String] = []
        let record = report.record
        let charts = chartDirectory == nil ? [] : ReportCharts.all(report)
        out.append(
            "# StackLab run \(MarkdownText.code(record.spec.name)) · \(MarkdownText.text(record.status.rawValue))")
        out.append("")
        if let description = record.spec.description {
            out.append(MarkdownText.text(description))
            out.append("")
        }
        let facts = ReportTable(
            header: ["run", "facts"], rows: ReportTables.facts(report).map { [$0.label, $0.value] },
            alignments: [.left, .left])
        out.append(MarkdownTable.render(facts))
        guard !report.workloads.isEmpty else { return text(out + body(report, charts: charts, level: 2)) }
        out += runtimes(report) + recoveries(report)
        for workload in report.workloads {
            let mine = charts.filter { $0.workload == workload.name }
            out.append("")
            out.append("## Workload \(MarkdownText.code(workload.name))")
            out.append("")
            out.append(MarkdownText.text(workload.report.record.spec.workload.summary) + ".")
            out.append("")
            out.append(MarkdownTable.render(ReportTables.workload(workload.report)))
            out += images(mine, ["throughput-cost"])
            out += body(workload.report, charts: mine, level: 3)
        }
        return text(out)
    }

    /// The Runtimes section: each app's cold start, artifact, builds and memory; none without apps.
    private func runtimes(_ report: RunReport) -> [String] {
        var out: [String] = []
        if let runtimes = ReportTables.runtimes(report) {
            out.append("")
            out.append("## Runtimes")
            out.append("")
            out.append(
                "Cold start: process spawn to the first correct `GET /json`, median of fresh starts before the trials. "
                    + "Builds: the latest recorded by `stacklab install`. Memory under load: the highest peak "
                    + "over the variant's trials (PSS for a process tree, RSS for one process).")
            out.append("")
            out.append(MarkdownTable.render(runtimes))
        }
        return out
    }

    /// The backup and restore section; none when the run took no drills.
    private func recoveries(_ report: RunReport) -> [String] {
        var out: [String] = []
        if let recoveries = ReportTables.recoveries(report) {
            out.append("")
            out.append("## Backup and restore")
            out.append("")
            out.append("**\(MarkdownText.text(ReportTables.recoveryVerdict(report.record) ?? ""))**")
            out.append("")
            out.append(MarkdownTable.render(recoveries))
        }
        return out
    }

    private func text(_ lines: [String]) -> String {
        lines.joined(separator: "\n") + "\n"
    }

    /// Everything after the header: per variant its tables, what each layer adds, costs, capacity and charts,
    /// with `level` the depth of the top headings (2 for a run, 3 within a workload of several).
    private func body(_ report: RunReport, charts: [ReportCharts.Chart], level: Int) -> [String] {
        var out: [String] = []
        let record = report.record
        let h2 = String(repeating: "#", count: level)
        let h3 = h2 + "#"
        for variant in report.variants {
            out.append("")
            let stack =
                variant.stack.isEmpty ? "" : ": " + variant.stack.map(MarkdownText.code).joined(separator: " → ")
            out.append("\(h2) Variant \(MarkdownText.code(variant.name))\(stack)")
            out.append("")
            out.append(MarkdownTable.render(ReportTables.latency(report, variant: variant.name)))
            for line in ReportTables.invalidTrials(report.groups(of: variant.name)) {
                out.append("")
                out.append("**\(line)**")
            }
            if let limit = report.statedLimit(of: variant.name) {
                out.append("")
                out.append(ReportTables.sweepLimitSentence(limit) { "**\($0)**" })
            }
            out.append("")
            out.append("\(h3) Resources (medians across repeats)")
            out.append("")
            out.append(MarkdownTable.render(ReportTables.resources(report, variant: variant.name)))
            if let storage = ReportTables.storage(report, variant: variant.name) {
                out.append("")
                out.append("\(h3) Stored data and IOPS (medians across repeats)")
                out.append("")
                out.append(MarkdownTable.render(storage))
                if let note = ReportTables.storageNote(report) {
                    out.append("")
                    out.append(MarkdownText.text(note))
                }
            }
            if let ingestion = ReportTables.ingestion(report, variant: variant.name) {
                out.append("")
                out.append("\(h3) Metrics ingestion (medians across repeats)")
                out.append("")
                out.append(MarkdownTable.render(ingestion))
                out.append("")
                out.append(MarkdownText.text(ReportTables.ingestionNote))
            }
            if let messaging = ReportTables.messaging(report, variant: variant.name) {
                out.append("")
                out.append("\(h3) Messages (medians across repeats)")
                out.append("")
                out.append(MarkdownTable.render(messaging))
                if let limit = ReportTables.messagingLimitSentence(
                    report, variant: variant.name, strong: { "**\($0)**" })
                {
                    out.append("")
                    out.append(limit)
                }
                out.append("")
                out.append(MarkdownText.text(ReportTables.messagingNote(report)))
            }
            if let cost = ReportTables.cost(report, variant: variant.name), !cost.rows.isEmpty {
                out.append("")
                out.append("\(h3) Cost of the measured window")
                out.append("")
                out.append(MarkdownTable.render(cost))
            }
        }
        out += recoveries(report)
        if let layers = ReportTables.layers(report) {
            out.append("")
            out.append("\(h2) What each variant adds to \(MarkdownText.code(record.spec.variants.first?.name ?? ""))")
            out.append("")
            out.append(ReportTables.layersNote)
            out.append("")
            out.append(MarkdownTable.render(layers))
        }
        if let tls = ReportTables.tlsPremium(report) {
            out.append("")
            out.append("\(h2) What TLS adds to the same stack")
            out.append("")
            out.append(MarkdownTable.render(tls))
        }
        if let note = ReportTables.meshNote(report) {
            out += ["", "\(h2) What the mesh costs", "", MarkdownText.text(note)]
            if let cost = ReportTables.meshCost(report) { out += ["", MarkdownTable.render(cost)] }
            if let premiums = ReportTables.meshPremiums(report) {
                out += ["", "Premiums, each from a pair of variants that differ by that one thing:", ""]
                out.append(MarkdownTable.render(premiums))
            }
        }
        if let limits = ReportTables.cpuLimits(report) {
            out += ["", "\(h2) CPU limits", "", MarkdownTable.render(limits), ""]
            out.append(MarkdownText.text(ReportTables.cpuLimitsNote))
        }
        out += runtimes(report)
        out += images(charts, ["percentiles", "sweep"])
        if let catalog = report.catalog, level == 2 {
            out.append("")
            out.append("Prices: \(MarkdownText.text(ReportTables.catalogText(catalog))).")
            if let costs = report.workloads.first?.report.costs ?? report.costs {
                out.append("")
                out.append("Egress: \(MarkdownText.text(ReportTables.egressText(costs))).")
                if let allocation = ReportTables.allocationText(costs) {
                    out.append("")
                    out.append("CPU priced: \(MarkdownText.text(allocation)).")
                }
            }
        }
        out += images(charts, ["cost"])
        if let capacity = ReportTables.capacity(report) {
            out.append("")
            out.append("\(h2) Capacity at the SLO")
            out.append("")
            out.append(MarkdownTable.render(capacity))
        }
        if charts.contains(where: { $0.kind == "series" }) {
            out.append("")
            out.append("\(h2) Over time")
            out += images(charts, ["series"])
        }
        return out
    }
}
