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
            A change is marked significant only where the 95% confidence intervals of the two medians do not \
            overlap; otherwise it is within noise. Both runs are priced with the same catalog: --pricing NAME, \
            else the first run's experiment catalog, else opencost-default.
            """
    )

    @Argument(help: "The run to compare from: an id, a unique prefix, or 'latest'.")
    var before: String

    @Argument(help: "The run to compare to.")
    var after: String

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    @Option(help: ArgumentHelp("text or md.", valueName: "format"))
    var format: ReportFormat = .text

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard format == .text || format == .md else { throw ValidationError("--format must be text or md") }
    }

    func run() async throws {
        let first = try await ReportCommand.load(before, from: store)
        let second = try await ReportCommand.load(after, from: store)
        let catalog = try PricingCommand.loadCatalog(pricing ?? first.spec.pricing ?? PriceCatalogs.defaultName)
        let comparison = RunComparison(
            before: RunReport(record: first, catalog: catalog), after: RunReport(record: second, catalog: catalog))
        print(format == .md ? comparison.markdown() : comparison.render(), terminator: "")
    }
}
