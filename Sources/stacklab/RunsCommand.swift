import ArgumentParser
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab runs`: the stored runs, newest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the stored runs, newest first.",
        discussion: """
            A run left 'running' by a stacklab process that ended without finishing it is listed as aborted. \
            'stacklab show ID' prints one run; an id prefix or 'latest' will do.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Show at most this many runs.")
    var limit: Int = 20

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        guard let store = try store.openExisting() else {
            print("no runs stored yet in \(self.store.resolvedPath); 'stacklab run' runs the quickstart")
            return
        }
        let listings = try await store.runs(limit: nil)
        guard !listings.isEmpty else {
            print("no runs stored yet in \(store.path); 'stacklab run' runs the quickstart")
            return
        }
        print(RunList.render(Array(listings.prefix(limit))))
        if listings.count > limit {
            print("\(limit) of \(listings.count) runs shown; --limit \(listings.count) shows them all")
        }
    }
}
