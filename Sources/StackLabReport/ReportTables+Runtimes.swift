import StackLabCore

extension ReportTables {
    /// Per app component of each variant: cold start, artifact size, build times, idle memory and memory under
    /// load, and a "not installed" row for a variant whose runtime is missing; nil when the run recorded none.
    public static func runtimes(_ report: RunReport) -> ReportTable? {
        let entries = runtimeEntries(report)
        guard !entries.isEmpty else { return nil }
        var table = ReportTable(
            header: [
                "variant", "app", "runtime", "cold start", "min–max", "artifact", "build clean", "build incremental",
                "idle memory", "memory under load", "notes",
            ],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .left])
        for entry in entries {
            if let reason = entry.notInstalled {
                table.rows.append([
                    entry.variant, entry.component, entry.runtime, "not installed", "-", "-", "-", "-", "-", "-",
                    reason,
                ])
                continue
            }
            let cold = entry.coldStartMicros
            table.rows.append([
                entry.variant, entry.component, entry.runtime,
                cold.map { coldStartText(micros: $0.median) } ?? "-",
                cold.map { "\(coldStartText(micros: $0.min))–\(coldStartText(micros: $0.max)) (\($0.samples.count)×)" }
                    ?? "-",
                entry.artifactBytes.map { NumberText.bytes(Int($0)) } ?? "-",
                buildText(entry.cleanBuild), buildText(entry.incrementalBuild),
                entry.idleRSSBytes.map { NumberText.bytes(Int($0)) } ?? "-",
                entry.peakRSSBytesUnderLoad.map { NumberText.bytes(Int($0)) } ?? "-",
                entry.notes.joined(separator: "; "),
            ])
        }
        return table
    }

    /// The run's app facts as the report's JSON carries them, memory under load added from the trials.
    static func runtimeEntries(_ report: RunReport) -> [ReportDocument.RuntimeEntry] {
        let record = report.record
        return (record.apps ?? []).map { facts in
            let peaks = record.trials.filter { $0.variant == facts.variant }.flatMap(\.components).filter {
                $0.name == facts.component
            }.map(\.usage.peakRSSBytes)
            let samples = (facts.coldStartSeconds ?? []).map { $0 * 1e6 }
            return ReportDocument.RuntimeEntry(
                variant: facts.variant, component: facts.component, runtime: facts.runtime.rawValue,
                notInstalled: facts.notInstalled,
                coldStartMicros: samples.isEmpty
                    ? nil
                    : ReportDocument.ColdStart(
                        median: Statistics.median(samples) ?? 0, min: samples.min() ?? 0, max: samples.max() ?? 0,
                        samples: samples),
                artifactBytes: facts.artifactBytes, cleanBuild: facts.cleanBuild.map(build),
                incrementalBuild: facts.incrementalBuild.map(build), idleRSSBytes: facts.idleRSSBytes,
                peakRSSBytesUnderLoad: peaks.max().map(Int64.init), notes: facts.notes)
        }
    }

    private static func build(_ record: AppBuildRecord) -> ReportDocument.Build {
        ReportDocument.Build(seconds: record.seconds, builtAt: record.builtAt)
    }

    /// A cold start in milliseconds with microsecond resolution: `12.345 ms`.
    public static func coldStartText(micros: Double) -> String {
        DurationText.fixed(micros / 1_000, digits: 3) + " ms"
    }

    /// `2.134 s (2026-11-29)`, or `not recorded`.
    static func buildText(_ build: ReportDocument.Build?) -> String {
        guard let build else { return "not recorded" }
        return DurationText.fixed(build.seconds, digits: 3) + " s (\(build.builtAt.prefix(10)))"
    }
}
