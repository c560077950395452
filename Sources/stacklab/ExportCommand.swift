import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab export RUN -o FILE`: a stored run as a file, for a baseline kept as a CI artifact.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored run to a file (JSON), for 'stacklab import' or as a baseline for 'stacklab compare'.",
        discussion: """
            The file holds the whole run (spec, trials with histograms and series, configs, app facts) under a \
            format version of its own (\(RunExport.formatVersion)). 'stacklab compare' and 'stacklab report' read \
            it wherever they take a run id: give a path with a / or ending in .json.
            """
    )

    @Argument(help: "The run: an id, a unique prefix of one, or 'latest'.")
    var run: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file, not stdout.", valueName: "file"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let record = try await ReportCommand.load(run, from: store)
        let data = try RunExport(run: record, exportedAt: ISO8601DateFormatter().string(from: Date())).encoded()
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        try LoadFiles.write(data, to: output)
        Terminal.note("run \(record.id) (\(record.trials.count) trials) exported to \(output)")
    }
}
