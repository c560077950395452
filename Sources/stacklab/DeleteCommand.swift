import ArgumentParser
import Foundation
import StackLabCore
import StackLabStore

/// `stacklab delete RUN…`: removes runs from the store, with their logs.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete stored runs: their trials, histograms, series and configs, and their log directories.",
        discussion: """
            Each RUN is a run id, a prefix of exactly one id, or 'latest'. Nothing is deleted unless every RUN \
            names a stored run that is not still running.
            """
    )

    @Argument(help: "The runs to delete.")
    var runs: [String]

    @OptionGroup var store: StoreOptions

    @Option(
        help: "Where run directories (component logs) are kept (default: $STACKLAB_HOME/runs, or ~/.stacklab/runs).")
    var runsDir: String?

    func validate() throws {
        guard !runs.isEmpty else {
            throw ValidationError("name at least one run to delete ('stacklab runs' lists them)")
        }
    }

    func run() async throws {
        guard let store = try store.openExisting() else {
            throw UserError("no runs stored yet in \(self.store.resolvedPath)")
        }
        let listings = try await store.runs(limit: nil)
        var chosen: [RunListing] = []
        for reference in runs {
            let id = try await store.resolveRun(reference)
            guard let listing = listings.first(where: { $0.id == id }) else { continue }
            guard listing.status != .running else {
                throw UserError("run \(id) is still running; stop it (Ctrl-C) before deleting it")
            }
            if !chosen.contains(where: { $0.id == id }) { chosen.append(listing) }
        }
        let runsDirectory = RunCommand.runsDirectory(runsDir)
        for listing in chosen {
            guard try await store.deleteRun(id: listing.id) else { continue }
            let trials = listing.trials == 1 ? "1 trial" : "\(listing.trials) trials"
            var line = "deleted run \(listing.id) (\(listing.name), \(listing.status.rawValue), \(trials))"
            let logs = runsDirectory.appendingPathComponent(listing.id)
            if FileManager.default.fileExists(atPath: logs.path) {
                try? FileManager.default.removeItem(at: logs)
                line += " and its logs in \(logs.path)"
            }
            print(line)
        }
    }
}
