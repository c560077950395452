import ArgumentParser
import Foundation
import StackLabCore
import StackLabLoad
import StackLabReport
import StackLabRunner
import StackLabStore

/// `stacklab run [FILE]`: runs an experiment end to end on this machine.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: start each variant's components, drive load, sample resources, report.",
        discussion: """
            With no FILE, runs the built-in quickstart (examples/quickstart.yaml): the Swift reference app on \
            SQLite under a short rate sweep, finding the highest rate that meets its SLO. Each run is written to \
            the results store as it goes ('stacklab runs' lists them); its component logs are kept under the \
            runs directory.
            """
    )

    @Argument(help: "The experiment file (YAML); the built-in quickstart when left out.")
    var file: String?

    @OptionGroup var store: StoreOptions

    @Option(
        help: "Where run directories (component logs) are kept (default: $STACKLAB_HOME/runs, or ~/.stacklab/runs).")
    var runsDir: String?

    @Option(help: "Override the measured duration of every trial, e.g. 3s (for a quick look).")
    var duration: String?

    @Option(help: "Override the warm-up of every trial.")
    var warmup: String?

    @Option(help: "Override the number of repeats.")
    var repeats: Int?

    @Option(
        help: ArgumentHelp(
            "Override every workload's rates with a comma list, e.g. 500,1000 (a sweep), 1000, max (closed loop), "
                + "or search (a capacity search under the SLO).",
            valueName: "list"))
    var rates: String?

    @Option(
        name: .customLong("variant"),
        help: ArgumentHelp("Run only this variant (repeat the option for several).", valueName: "name"))
    var variants: [String] = []

    @Option(
        help: ArgumentHelp(
            "Price the run with this catalog instead of the experiment's: a shipped name or a file.",
            valueName: "name|file"))
    var pricing: String?

    @Flag(name: .customLong("no-pin"), help: "Do not pin components and the load engine to separate CPUs.")
    var noPin = false

    @Flag(name: [.customShort("q"), .long], help: "No live progress.")
    var quiet = false

    func run() async throws {
        // Connections were checked against the hard limit on open files; let this process use it.
        MachineLimits.raiseOpenFilesLimit()
        var spec = try file.map { try ExperimentSpec.load(path: $0) } ?? Quickstart.spec()
        let source: String? =
            if let file { try? String(contentsOfFile: file, encoding: .utf8) } else { Quickstart.yaml }
        if let duration {
            let nanoseconds = try DurationText.nanoseconds(duration, what: "--duration")
            spec.changeWorkloads { $0.durationNanoseconds = nanoseconds }
        }
        if let warmup {
            let nanoseconds = try DurationText.nanoseconds(warmup, what: "--warmup")
            spec.changeWorkloads { $0.warmupNanoseconds = nanoseconds }
        }
        if let repeats {
            guard repeats >= 1 else { throw UserError("--repeats must be at least 1") }
            guard repeats <= InputLimits.repeats else {
                throw UserError("--repeats must be at most \(MessageText.grouped(InputLimits.repeats))")
            }
            spec.repeats = repeats
        }
        if let rates { try spec.overrideRates(rates) }
        try spec.keepVariants(variants)
        if let pricing { spec.pricing = pricing }
        // An unknown or malformed catalog is a mistake to report before any load runs.
        let catalog = try PricingCommand.loadCatalog(spec.pricing ?? PriceCatalogs.defaultName)
        var options = ExperimentRunner.Options(
            runsDirectory: Self.runsDirectory(runsDir), binDirectory: Self.binDirectory())
        options.pinCPUs = !noPin
        options.specSource = source
        let runner = ExperimentRunner(spec: spec, options: options, store: try store.open())
        let interrupts = InterruptHandler { runner.stop(reason: InterruptHandler.reason($0)) }
        defer { interrupts.cancel() }

        let quiet = self.quiet
        let record: RunRecord
        let directory: URL
        do {
            (record, directory) = try await runner.run { event in
                guard !quiet else { return }
                Self.show(event)
            }
        } catch is CancellationError where interrupts.firstSignal != nil {
            // Stopped before the run was stored (while checking what is installed): nothing to report.
            throw ExitStatus(code: interrupts.exitCode)
        }
        if !quiet { Terminal.endProgress() }
        // The run as `stacklab report` prints it: latency, what each layer adds, resources and costs.
        print(TextReportRenderer().render(RunReport(record: record, catalog: catalog)), terminator: "")
        print(Self.whereToSee(record.id, store: store, logs: directory))
        if record.status == .aborted { throw ExitStatus(code: interrupts.exitCode) }
    }

    /// The run's id and the commands that show it again.
    static func whereToSee(_ id: String, store: StoreOptions, logs: URL) -> String {
        let suffix = store.argumentSuffix
        return """

            run \(id), stored in \(store.resolvedPath)
              stacklab show \(id)\(suffix)
              stacklab report \(id) --format html -o \(id).html\(suffix)
            logs: \(logs.path)
            """
    }

    static func show(_ event: RunEvent) {
        switch event {
        case .startingVariant(let name, let components):
            Terminal.endProgress()
            Terminal.note("variant \(name): starting \(components.joined(separator: " → "))")
        case .appFacts(let facts):
            Terminal.endProgress()
            Terminal.note(appFactsLine(facts))
        case .trialStarted(let index, let total, let plan):
            let rate = plan.rate.map { " at \(NumberText.rate($0))/s" } ?? ""
            let workload = plan.workloadName.map { " \($0)" } ?? ""
            // A capacity search's count of trials is its most: it stops once the limit is bracketed.
            let count = plan.workload.isSearch ? "\(index) of at most \(total)" : "\(index)/\(total)"
            Terminal.progress(
                "  trial \(count): \(plan.variant.name)\(workload)\(rate), repeat \(plan.repeatIndex)")
        case .trialProgress(let progress):
            Terminal.progress("  " + LoadCommand.progressLine(progress).trimmingCharacters(in: .whitespaces))
        case .trialFinished(let trial):
            let rate = trial.offeredRate.map { "\(NumberText.rate($0))/s" } ?? "max"
            let failed = trial.load.thresholds.filter { !$0.passed }.map {
                $0.expression.prefix { $0 != "<" && $0 != ">" }
            }
            var verdict =
                trial.load.thresholds.isEmpty
                ? "" : (failed.isEmpty ? " ✓ SLO" : " ✗ SLO (" + failed.joined(separator: ", ") + ")")
            let generator = trial.load.generator
            let shaped = generator.verdict == GeneratorCheck.ok ? "" : ", " + generator.label
            if let invalid = trial.load.invalidity { verdict = " ✗ invalid: \(invalid)" }
            Terminal.endProgress()
            Terminal.note(
                "  \(trial.variant)\(trial.workload.map { " \($0)" } ?? "") \(rate) #\(trial.repeatIndex): \(NumberText.rate(trial.load.achievedRate))/s, "
                    + "p99 \(DurationText.micros(trial.load.latency.p99)), errors \(NumberText.percent(trial.load.errorRate))\(verdict)\(shaped)"
            )
        case .recoveryDrill(let drill):
            Terminal.endProgress()
            Terminal.note(
                "  \(drill.durability == nil ? "backup" : "crash") \(drill.component) \(drill.method): "
                    + RecoveryText.summary(drill))
        }
    }

    /// `  app (go): cold start 4.123 ms (3.901 ms–4.402 ms, 5 starts), artifact 6.10 MB, idle 7.90 MB`.
    static func appFactsLine(_ facts: AppFacts) -> String {
        let runtime = "\(facts.component) (\(facts.runtime.rawValue))"
        if let reason = facts.notInstalled {
            return "variant \(facts.variant): skipped, \(runtime) not installed: \(reason)"
        }
        var parts: [String] = []
        if let median = facts.coldStartMedian, let samples = facts.coldStartSeconds {
            let range =
                ReportTables.coldStartText(micros: samples.min()! * 1e6) + "–"
                + ReportTables.coldStartText(micros: samples.max()! * 1e6)
            parts.append(
                "cold start \(ReportTables.coldStartText(micros: median * 1e6)) (\(range), \(samples.count) starts)")
        }
        if let bytes = facts.artifactBytes { parts.append("artifact \(NumberText.bytes(Int(bytes)))") }
        if let bytes = facts.idleRSSBytes { parts.append("idle \(NumberText.bytes(Int(bytes)))") }
        return "  \(runtime): " + (parts + facts.notes).joined(separator: ", ")
    }

    static func runsDirectory(_ option: String?) -> URL {
        option.map { URL(fileURLWithPath: $0) } ?? StackLabHome.runs()
    }

    /// The directory of this executable, where `swift build` also puts `stacklab-refapp`.
    static func binDirectory() -> URL {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }
}
