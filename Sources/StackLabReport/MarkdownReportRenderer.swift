/// The report in GitHub-flavoured Markdown, for a pull request or a blog post: the header, then per variant its
/// latency, resource and cost tables, then capacity.
///
/// Charts are left to the HTML report; Markdown on GitHub cannot show inline SVG.
public struct MarkdownReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: RunReport) -> String {
        var out: [String] = []
        let record = report.record
        out.append("# StackLab run `\(record.spec.name)` · \(record.status.rawValue)")
        out.append("")
        if let description = record.spec.description {
            out.append(description)
            out.append("")
        }
        let facts = ReportTable(
            header: ["run", "facts"], rows: ReportTables.facts(report).map { [$0.label, $0.value] },
            alignments: [.left, .left])
        out.append(MarkdownTable.render(facts))
        for variant in report.variants {
            out.append("")
            let stack = variant.stack.isEmpty ? "" : ": " + variant.stack.map { "`\($0)`" }.joined(separator: " → ")
            out.append("## Variant `\(variant.name)`\(stack)")
            out.append("")
            out.append(MarkdownTable.render(ReportTables.latency(report, variant: variant.name)))
            if record.spec.slo != nil, report.groups(of: variant.name).count > 1 {
                out.append("")
                out.append(
                    report.knee(of: variant.name).map { "Highest rate within the SLO: **\(NumberText.rate($0))/s**." }
                        ?? "No offered rate met the SLO.")
            }
            out.append("")
            out.append("### Resources (medians across repeats)")
            out.append("")
            out.append(MarkdownTable.render(ReportTables.resources(report, variant: variant.name)))
            if let cost = ReportTables.cost(report, variant: variant.name), !cost.rows.isEmpty {
                out.append("")
                out.append("### Cost of the measured window")
                out.append("")
                out.append(MarkdownTable.render(cost))
            }
        }
        if let catalog = report.catalog {
            out.append("")
            out.append("Prices: \(ReportTables.catalogText(catalog)).")
        }
        if let capacity = ReportTables.capacity(report) {
            out.append("")
            out.append("## Capacity at the SLO")
            out.append("")
            out.append(MarkdownTable.render(capacity))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
