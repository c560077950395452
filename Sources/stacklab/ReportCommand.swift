import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab report RUN`: a stored run as text, Markdown, self-contained HTML, JSON or CSV, priced with a catalog.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report of a stored run: text, Markdown, HTML with charts, JSON or CSV.",
        discussion: """
            RUN is a run id, a prefix of exactly one id, or 'latest'. Costs are priced when the report is \
            written: --pricing NAME, else the experiment's catalog, else opencost-default. The HTML file is \
            self-contained (inline CSS and SVG charts, no scripts); the JSON follows docs/result-json.md.
            """
    )

    @Argument(help: "The run: an id, a unique prefix of one, 'latest', or a file 'stacklab export' wrote.")
    var run: String

    @Option(help: ArgumentHelp("text, md, html, json or csv.", valueName: "format"))
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    @Option(help: ArgumentHelp("The rate the capacity table plans for, requests/s.", valueName: "rate"))
    var targetRate: Double = CapacityOptions().targetRate

    @Option(
        help: ArgumentHelp(
            "The share of a replica's measured capacity to plan on (0.7 leaves 30% free).", valueName: "share"))
    var headroom: Double = CapacityOptions().headroom

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file, not stdout.", valueName: "file"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard targetRate > 0, targetRate.isFinite else { throw ValidationError("--target-rate must be above 0") }
        // Replicas are a whole number: a target far past any real service would overflow it.
        guard targetRate <= 1e12 else { throw ValidationError("--target-rate must be at most 1,000,000,000,000") }
        guard headroom >= 0.01, headroom <= 1 else {
            throw ValidationError("--headroom must be from 0.01 to 1")
        }
    }

    func run() async throws {
        let record = try await Self.load(run, from: store)
        let catalog = try PricingCommand.loadCatalog(pricing ?? record.spec.pricing ?? PriceCatalogs.defaultName)
        let report = RunReport(
            record: record, catalog: catalog, capacity: CapacityOptions(targetRate: targetRate, headroom: headroom))
        guard let output else {
            print(try format.renderer.render(report), terminator: "")
            return
        }
        if format == .md, OutputFile.isRegularOrNew(output) {
            // Markdown shows charts as images beside the file: REPORT-charts/NAME.svg.
            let file = URL(fileURLWithPath: output)
            let directoryName = file.deletingPathExtension().lastPathComponent + "-charts"
            let directory = file.deletingLastPathComponent().appendingPathComponent(directoryName)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw UserError("cannot create \(directory.path): \(error.localizedDescription)", exitCode: 1)
            }
            for chart in ReportCharts.all(report) {
                try LoadFiles.write(Data(chart.file.utf8), to: directory.appendingPathComponent(chart.fileName).path)
            }
            let text = MarkdownReportRenderer(chartDirectory: directoryName).render(report)
            try LoadFiles.write(Data(text.utf8), to: output)
        } else {
            try LoadFiles.write(Data(try format.renderer.render(report).utf8), to: output)
        }
        Terminal.note("\(format.rawValue) report of run \(record.id): \(output)")
    }

    /// The stored run `reference` names (or the export file it names), or a clear error.
    static func load(_ reference: String, from options: StoreOptions) async throws -> RunRecord {
        // A baseline kept as a file (`stacklab export`) is read where a run id is.
        if RunExport.isFileReference(reference) { return try RunExport.read(path: reference).run }
        guard let store = try options.openExisting() else {
            throw UserError("no runs stored yet in \(options.resolvedPath); 'stacklab run' runs the quickstart")
        }
        let id = try await store.resolveRun(reference)
        guard let record = try await store.run(id: id) else {
            throw UserError("run \(id) was deleted while it was being read")
        }
        return record
    }
}

extension ReportFormat: ExpressibleByArgument {}
