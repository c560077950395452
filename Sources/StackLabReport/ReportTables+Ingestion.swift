import StackLabCore

extension ReportTables {
    /// Per metrics backend and trial group of a variant: samples ingested per second against what the synthetic
    /// targets served, active series, bytes on disk per sample, memory per active series and CPU per million
    /// samples (``IngestionSummary``), medians across repeats. Nil when no component of the variant is a metrics
    /// backend whose counters were read.
    public static func ingestion(_ report: RunReport, variant: String) -> ReportTable? {
        var table = ReportTable(
            header: [
                "component", "trials", "samples/s", "expected/s", "of expected", "active series", "bytes/sample",
                "memory/series", "CPU s per M samples",
            ],
            alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
        for group in report.groups(of: variant) {
            let names = group.trials.first?.components.map(\.name) ?? []
            for (index, name) in names.enumerated() {
                let measured = group.trials.compactMap { index < $0.components.count ? $0.components[index] : nil }
                guard let summary = IngestionSummary(measured) else { continue }
                let digits = { (value: Double?) in value.map { NumberText.trimmed($0, maximumDigits: 2) } ?? "-" }
                table.rows.append([
                    name, ([group.workload].compactMap { $0 } + [group.rateLabel]).joined(separator: " "),
                    summary.samplesPerSecond.map(NumberText.rate) ?? "-",
                    summary.expectedPerSecond.map(NumberText.rate) ?? "-",
                    summary.samplesPerSecond.flatMap { ingested in
                        summary.expectedPerSecond.flatMap {
                            $0 > 0 ? NumberText.percent(ingested / $0, digits: 1) : nil
                        }
                    } ?? "-",
                    summary.activeSeries.map { NumberText.grouped(Int($0.rounded())) } ?? "-",
                    summary.bytesPerSample.map { digits($0) + " B" } ?? "-",
                    summary.memoryBytesPerSeries.map { NumberText.bytes(Int($0.rounded())) } ?? "-",
                    digits(summary.cpuSecondsPerMillionSamples),
                ])
            }
        }
        return table.rows.isEmpty ? nil : table
    }

    /// What the ingestion table's columns mean, for under it.
    public static let ingestionNote =
        "Samples/s: the backend's own counter (Prometheus's prometheus_tsdb_head_samples_appended_total, "
        + "VictoriaMetrics' vm_rows_inserted_total{type=\"promscrape\"}) over the measured window; expected: what "
        + "StackLab's synthetic targets served in that time plus the series the backend adds per scrape, shown when "
        + "those are all it scrapes; well below 100% of it, scrapes failed or the backend fell behind (a window "
        + "counts whole scrapes, so one of N scrape intervals reads up to 1/N either side). Bytes/sample: the data "
        + "directory at the end of the trial over every sample since the backend started; Prometheus keeps its last two hours in a write-ahead log and compacts only "
        + "then, so a run shorter than that shows its uncompacted size. Memory/series: average memory (PSS) over "
        + "active series (prometheus_tsdb_head_series; VictoriaMetrics' series registered, vm_cache_entries{type=\"storage/tsid\"})."
}
