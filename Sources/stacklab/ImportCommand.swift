import ArgumentParser
import Foundation
import StackLabCore
import StackLabStore

/// `stacklab import FILE`: a run exported by `stacklab export` into the store, under its own id.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a run from a file that 'stacklab export' wrote, keeping its id.",
        discussion: """
            Importing the same run twice changes nothing; a different run with the same id already in the store \
            is an error (delete it first).
            """
    )

    @Argument(help: "The export file.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let export = try RunExport.read(path: file)
        let store = try store.open()
        if try await store.importRun(export.run) {
            let run = export.run
            print("imported run \(run.id) (\(run.spec.name), \(run.trials.count) trials) into \(store.location)")
        } else {
            print("run \(export.run.id) is already stored in \(store.location), identical; nothing imported")
        }
    }
}
