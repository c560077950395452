import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab compare RUN_A RUN_B`: what changed from one run to another, and whether it is more than noise.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two stored runs per variant and rate: achieved rate, p50, p90, p99, $ per million requests.",
        discussion: """
            Trials are the unit: a change is marked better or worse only where the exact two-sided Mann-Whitney \
            test over the two runs' trials of that variant and rate gives p < 0.05, otherwise it is within noise; \
            with fewer than 4 trials per run the test can never get there and no verdict is given. Runs of two \
            different experiments are compared on the variants both ran, and fail when they share none. Both runs \
            are priced with the same catalog: --pricing NAME, else the first run's experiment catalog, else \
            opencost-default.
            """
    )

    @Argument(help: "The run to compare from: an id, a unique prefix, or 'latest'.")
    var before: String

    @Argument(help: "The run to compare to.")
    var after: String

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    /// The formats a comparison is written in: only these are offered, so `--help` lists no format it refuses.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, md
    }

    @Option(help: ArgumentHelp("The output format.", valueName: "format"))
    var format: Format = .text

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let first = try await ReportCommand.load(before, from: store)
        let second = try await ReportCommand.load(after, from: store)
        let catalog = try PricingCommand.loadCatalog(pricing ?? first.spec.pricing ?? PriceCatalogs.defaultName)
        let comparison = RunComparison(
            before: RunReport(record: first, catalog: catalog), after: RunReport(record: second, catalog: catalog))
        if comparison.rows.isEmpty {
            let what =
                comparison.differentExperiments
                ? "runs of different experiments (\(first.spec.name), \(second.spec.name))"
                : "runs \(first.id) and \(second.id)"
            throw UserError("\(what) share no variant at the same rate and workload: nothing to compare")
        }
        print(format == .md ? comparison.markdown() : comparison.render(), terminator: "")
    }
}
