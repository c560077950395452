import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab compare RUN_A RUN_B`: what changed from one run to another, and whether it is more than noise; with
/// `--fail-on` (or the experiment's `gate:`), a regression gate that exits 99 (docs/ci-gate.md).
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

            As a regression gate (--fail-on, --gate, --junit, --summary, or a gate: in the candidate's experiment), \
            it prints one table of checks and exits 99 when a change is beyond its tolerance and significant (the \
            one-sided exact test of the trials, p <= 0.05; 3 trials a side are the fewest that can decide), \
            else 0. The rules: --fail-on, else the experiment's gate:, else \
            \(GateRule.defaults.map(\.expression).joined(separator: " ")). See docs/ci-gate.md.
            """
    )

    @Argument(help: "The run to compare from (the baseline): an id, a unique prefix, 'latest', or an export file.")
    var before: String

    @Argument(help: "The run to compare to (the candidate).")
    var after: String

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    /// The formats a comparison is written in: only these are offered, so `--help` lists no format it refuses.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, md
    }

    @Option(help: ArgumentHelp("The output format.", valueName: "format"))
    var format: Format = .text

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "A gate rule, e.g. 'p99>+10%', 'p99>+2ms', 'cost_per_million>+5%', 'rate<-5%', 'error_rate>+0.5pp' "
                + "(repeatable).", valueName: "rule"))
    var failOn: [String] = []

    @Flag(help: "Gate with the experiment's gate: rules, else the default rules.")
    var gate = false

    @Option(help: ArgumentHelp("Write the gate's checks as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write the gate's verdict and table as Markdown to this file.", valueName: "file"))
    var summary: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let rules = try failOn.map { text in
            do {
                return try GateRule(parsing: text)
            } catch let error as UserError {
                throw UserError("--fail-on " + error.message)
            }
        }
        let first = try await ReportCommand.load(before, from: store)
        let second = try await ReportCommand.load(after, from: store)
        let catalog = try PricingCommand.loadCatalog(pricing ?? first.spec.pricing ?? PriceCatalogs.defaultName)
        let baseline = RunReport(record: first, catalog: catalog)
        let candidate = RunReport(record: second, catalog: catalog)
        let comparison = RunComparison(before: baseline, after: candidate)
        if comparison.rows.isEmpty {
            let what =
                comparison.differentExperiments
                ? "runs of different experiments (\(first.spec.name), \(second.spec.name))"
                : "runs \(first.id) and \(second.id)"
            throw UserError("\(what) share no variant at the same rate and workload: nothing to compare")
        }
        let specRules = second.spec.gate ?? first.spec.gate
        guard !rules.isEmpty || gate || junit != nil || summary != nil || specRules != nil else {
            print(format == .md ? comparison.markdown() : comparison.render(), terminator: "")
            return
        }
        let regressionGate = RegressionGate(
            baseline: baseline, candidate: candidate,
            rules: rules.isEmpty ? specRules ?? GateRule.defaults : rules)
        if let junit {
            let xml = regressionGate.junit(timestamp: ISO8601DateFormatter().string(from: Date()))
            try LoadFiles.write(Data(xml.utf8), to: junit)
        }
        if let summary { try LoadFiles.write(Data(regressionGate.markdown().utf8), to: summary) }
        print(format == .md ? regressionGate.markdown() : regressionGate.render(), terminator: "")
        if regressionGate.exitCode != 0 { throw ExitStatus(code: regressionGate.exitCode) }
    }
}
