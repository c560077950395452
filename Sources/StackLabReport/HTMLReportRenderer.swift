import StackLabCore

/// The report as one self-contained HTML file: inline CSS and inline SVG charts, no scripts, no external
/// resources, so it can be mailed, attached to a ticket or opened offline.
///
/// The markup is XHTML-compatible (well-formed XML), so tools, and the tests, can read it with an XML parser.
public struct HTMLReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: RunReport) -> String {
        let record = report.record
        let charts = ReportCharts.all(report)
        var html: [String] = []
        html.append("<!DOCTYPE html>")
        html.append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">")
        html.append("<head>")
        html.append("<meta charset=\"utf-8\"/>")
        html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        html.append("<meta name=\"generator\" content=\"stacklab \(e(StackLabVersion.current))\"/>")
        html.append("<title>StackLab · \(e(record.spec.name)) · \(e(record.id))</title>")
        html.append("<style>\n\(Self.style)\n</style>")
        html.append("</head>")
        html.append("<body>")
        html.append("<header>")
        html.append("<h1>StackLab run <code>\(e(record.spec.name))</code></h1>")
        let status = record.status.rawValue
        html.append(
            "<p class=\"lead\"><span class=\"badge \(e(status))\">\(e(status))</span> run <code>\(e(record.id))</code>"
                + " · \(record.trials.count) trials · started \(e(record.startedAt))</p>")
        if let description = record.spec.description { html.append("<p>\(e(description))</p>") }
        html.append("</header>")

        html.append("<section id=\"run\">")
        html.append("<h2>Run and environment</h2>")
        html.append("<table class=\"facts\">")
        for fact in ReportTables.facts(report) {
            html.append("<tr><th scope=\"row\">\(e(fact.label))</th><td>\(e(fact.value))</td></tr>")
        }
        html.append("</table>")
        html.append("</section>")

        html.append("<section id=\"latency\">")
        html.append("<h2>Latency, throughput and the SLO</h2>")
        for variant in report.variants {
            html.append(variantHeading(variant))
            html.append(Self.table(ReportTables.latency(report, variant: variant.name), variant: variant.name))
            if record.spec.slo != nil, report.groups(of: variant.name).count > 1 {
                let knee = report.knee(of: variant.name)
                html.append(
                    "<p class=\"knee\">"
                        + (knee.map { "Highest rate within the SLO: <strong>\(NumberText.rate($0))/s</strong>" }
                            ?? "No offered rate met the SLO.") + "</p>")
            }
        }
        for chart in charts where chart.kind == "percentiles" || chart.kind == "sweep" {
            html.append(Self.figure(chart))
        }
        html.append("</section>")

        if let layers = ReportTables.layers(report) {
            html.append("<section id=\"layers\">")
            html.append("<h2>What each variant adds to <code>\(e(record.spec.variants.first?.name ?? ""))</code></h2>")
            html.append(
                "<p class=\"note\">Differences of medians at the same offered rate, with bootstrap 95% intervals; "
                    + "cores, memory and CPU are the added components'.</p>")
            html.append(Self.table(layers, variant: nil))
            if let tls = ReportTables.tlsPremium(report) {
                html.append("<h3>What TLS adds to the same stack</h3>")
                html.append(Self.table(tls, variant: nil))
            }
            html.append("</section>")
        }

        if let runtimes = ReportTables.runtimes(report) {
            html.append("<section id=\"runtimes\">")
            html.append("<h2>Runtimes</h2>")
            html.append(
                "<p class=\"note\">Cold start: process spawn to the first correct <code>GET /json</code>, median of "
                    + "fresh starts before the trials. Builds: the latest recorded by <code>stacklab install</code>. "
                    + "Memory under load: the highest peak RSS over the variant's trials.</p>")
            html.append(Self.table(runtimes, variant: nil))
            html.append("</section>")
        }

        html.append("<section id=\"resources\">")
        html.append("<h2>Resources per component</h2>")
        html.append("<p class=\"note\">Medians across repeats over each trial's measured window.</p>")
        for variant in report.variants {
            html.append(variantHeading(variant))
            html.append(Self.table(ReportTables.resources(report, variant: variant.name), variant: variant.name))
            if let storage = ReportTables.storage(report, variant: variant.name) {
                html.append("<h4>Stored data and IOPS</h4>")
                html.append(Self.table(storage, variant: variant.name))
            }
        }
        if let note = ReportTables.storageNote(report) { html.append("<p class=\"note\">\(e(note))</p>") }
        html.append("</section>")

        if let recoveries = ReportTables.recoveries(report) {
            let verdict = ReportTables.recoveryVerdict(record) ?? ""
            html.append("<section id=\"recovery\">")
            html.append("<h2>Backup and restore</h2>")
            html.append(
                "<p class=\"verdict \(verdict.hasPrefix("✓") ? "pass" : "fail")\"><strong>\(e(verdict))</strong></p>")
            html.append(Self.table(recoveries, variant: nil))
            html.append("</section>")
        }

        if let catalog = report.catalog {
            html.append("<section id=\"cost\">")
            html.append("<h2>Cost</h2>")
            html.append(
                "<p class=\"note\">Priced with <strong>\(e(catalog.name))</strong> (\(e(catalog.title))), "
                    + "\(e(catalog.source)), as of \(e(catalog.date)): \(e(MoneyText.dollars(catalog.cpuPerVCPUHour)))"
                    + " per vCPU-hour, \(e(MoneyText.dollars(catalog.memoryPerGiBHour))) per GiB-hour. Usage cost prices"
                    + " what components used; allocation cost what they reserved (the larger of request and use).</p>")
            for variant in report.variants {
                guard let table = ReportTables.cost(report, variant: variant.name), !table.rows.isEmpty else {
                    continue
                }
                html.append(variantHeading(variant))
                html.append(Self.table(table, variant: variant.name))
            }
            for chart in charts where chart.kind == "cost" { html.append(Self.figure(chart)) }
            if let capacity = ReportTables.capacity(report) {
                html.append("<h3>Capacity at the SLO</h3>")
                html.append(Self.table(capacity, variant: nil))
            }
            html.append("</section>")
        }

        let series = charts.filter { $0.kind == "series" }
        if !series.isEmpty {
            html.append("<section id=\"series\">")
            html.append("<h2>Over time</h2>")
            for chart in series { html.append(Self.figure(chart)) }
            html.append("</section>")
        }

        html.append(
            "<footer>Generated by stacklab \(e(StackLabVersion.current)) from run <code>\(e(record.id))</code>. "
                + "Intervals are 95% bootstrap confidence intervals of the median across repeats.</footer>")
        html.append("</body>")
        html.append("</html>")
        return html.joined(separator: "\n") + "\n"
    }

    private func variantHeading(_ variant: Variant) -> String {
        let stack =
            variant.stack.isEmpty ? "" : " <span class=\"stack\">\(e(variant.stack.joined(separator: " → ")))</span>"
        return "<h3>Variant <code>\(e(variant.name))</code>\(stack)</h3>"
    }

    private func e(_ text: String) -> String { XMLText.escape(text) }

    static func figure(_ chart: ReportCharts.Chart) -> String {
        "<figure class=\"chart\" data-chart=\"\(chart.kind)\">\n\(chart.svg)\n</figure>"
    }

    static func table(_ table: ReportTable, variant: String?) -> String {
        var out = ["<table" + (variant.map { " data-variant=\"\(XMLText.escape($0))\"" } ?? "") + ">"]
        out.append(
            "<thead><tr>"
                + table.header.enumerated().map { index, cell in
                    "<th" + (table.alignment(of: index) == .right ? " class=\"num\"" : "") + ">"
                        + XMLText.escape(cell) + "</th>"
                }.joined() + "</tr></thead>")
        out.append("<tbody>")
        for (rowIndex, row) in table.paddedRows.enumerated() {
            let rowClass = table.totalRows.contains(rowIndex) ? " class=\"total\"" : ""
            let cells = row.enumerated().map { index, cell in
                var classes: [String] = []
                if table.alignment(of: index) == .right { classes.append("num") }
                if cell == "✓" { classes.append("pass") }
                if cell == "✗" { classes.append("fail") }
                if cell.hasPrefix(GeneratorCheck.generatorBound) { classes.append("warn") }
                let classText = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                return "<td\(classText)>" + XMLText.escape(cell) + "</td>"
            }
            out.append("<tr\(rowClass)>" + cells.joined() + "</tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        return out.joined(separator: "\n")
    }

    static let style = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222; background: #fafafa;
          margin: 0 auto; padding: 24px 32px 48px; max-width: 1100px; line-height: 1.45; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 20px 0 6px; }
        code { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; font-size: 0.95em; }
        .lead { color: #555; margin: 0 0 8px; }
        .stack { color: #666; font-weight: normal; font-size: 13px; margin-left: 8px; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
          background: #e4e4e4; }
        .badge.completed { background: #d7f0dd; color: #1e6b34; }
        .badge.aborted { background: #f8dada; color: #8a1f1f; }
        .badge.running { background: #fff0c2; color: #7a5a00; }
        table { border-collapse: collapse; margin: 6px 0 14px; background: #fff; font-size: 13px;
          font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; white-space: nowrap; }
        thead th { background: #f0f0f0; font-weight: 600; border-bottom: 1px solid #ccc; }
        .num { text-align: right; }
        table.facts th { font-weight: 600; color: #555; width: 9em; }
        table.facts td { white-space: normal; }
        tr.total td { font-weight: 600; border-top: 1px solid #bbb; }
        td.pass { color: #1e7b3a; font-weight: 700; }
        td.fail { color: #b02020; font-weight: 700; }
        p.verdict.pass { color: #1e7b3a; }
        p.verdict.fail { color: #b02020; }
        td.warn { color: #9a6000; }
        .knee, .note { font-size: 13px; color: #444; }
        figure.chart { margin: 16px 0; background: #fff; border: 1px solid #e3e3e3; border-radius: 6px;
          padding: 8px; overflow-x: auto; }
        figure.chart svg { display: block; width: 100%; max-width: 980px; height: auto; }
        footer { margin-top: 40px; font-size: 12px; color: #777; }
        """
}
