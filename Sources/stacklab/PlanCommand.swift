import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport
import StackLabScaling

/// `stacklab plan RUN`: an HPA against static provisioning for the peak, simulated on a run's measured replica.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Simulate an HPA over a traffic trace on a run's measured replica, against static provisioning.",
        discussion: """
            RUN is a run id, a unique prefix of one, or 'latest'; it needs a rate sweep under an SLO. One replica \
            is the variant's app components (its whole stack when it has none): its p99 and CPU at each measured \
            rate, its capacity within the SLO and its cold start. The HPA follows kube-controller-manager's rules \
            (docs/autoscaling.md); static provisioning runs ceil(peak / capacity) replicas all along.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, md, json, html
    }

    @Argument(help: "The run: an id, a unique prefix of one, or 'latest'.")
    var run: String

    @Option(help: ArgumentHelp("The variant to plan (default: the first).", valueName: "name"))
    var variant: String?

    @Option(help: ArgumentHelp("The workload of a run of several (default: the first).", valueName: "name"))
    var workload: String?

    @Option(help: ArgumentHelp("diurnal, spike, step, or a CSV file of time_seconds,rate.", valueName: "trace"))
    var trace: String = "diurnal"

    @Option(
        help: ArgumentHelp("A built-in trace's peak, requests/s (default: 10 replicas' capacity).", valueName: "rate"))
    var peak: Double?

    @Option(
        help: ArgumentHelp(
            "A built-in trace's length (default: 24h diurnal, 1h spike and step).", valueName: "duration"))
    var length: String?

    @Option(help: ArgumentHelp("The HPA's CPU utilization target, percent of the request.", valueName: "percent"))
    var targetCpu: String = "70%"

    @Option(name: .customLong("min"), help: ArgumentHelp("minReplicas.", valueName: "n"))
    var minReplicas: Int = 1

    @Option(name: .customLong("max"), help: ArgumentHelp("maxReplicas.", valueName: "n"))
    var maxReplicas: Int = 20

    @Option(
        help: ArgumentHelp(
            "Add KEDA on a request-rate trigger with this threshold, requests/s a replica (min 0 replicas).",
            valueName: "rate"))
    var keda: Double?

    @Option(
        help: ArgumentHelp(
            "Seconds from pod creation to ready (default: the measured cold start).", valueName: "seconds"))
    var startup: Int?

    @Option(help: ArgumentHelp("CPU request per replica, cores (default: the experiment's).", valueName: "cores"))
    var cpuRequest: Double?

    @Option(help: ArgumentHelp("The metrics API's sampling window, seconds.", valueName: "seconds"))
    var metricResolution: Int = 15

    @Option(help: ArgumentHelp("How old the newest metric is when the HPA reads it, seconds.", valueName: "seconds"))
    var metricDelay: Int = 0

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    @Option(help: ArgumentHelp("text, md, json or html (html holds the chart).", valueName: "format"))
    var format: Format = .text

    @Flag(help: "Add the HPA's minute-by-minute table: load, replicas, starting pods, p99, CPU (text and md).")
    var minutes = false

    @Option(help: ArgumentHelp("Write the chart of replicas and load over time to this SVG file.", valueName: "file"))
    var svg: String?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file, not stdout.", valueName: "file"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        _ = try Self.percent(targetCpu)
        guard minReplicas >= 1, maxReplicas >= minReplicas, maxReplicas <= 10_000 else {
            throw ValidationError("--min and --max must satisfy 1 ≤ min ≤ max ≤ 10,000")
        }
        if let keda { guard keda > 0, keda <= 1e9 else { throw ValidationError("--keda must be above 0") } }
        if let peak { guard peak > 0, peak <= 1e9 else { throw ValidationError("--peak must be above 0") } }
        if let startup {
            guard (0...86_400).contains(startup) else { throw ValidationError("--startup must be 0 to 86,400 s") }
        }
        if let cpuRequest {
            guard cpuRequest > 0, cpuRequest <= 1_024 else { throw ValidationError("--cpu-request must be above 0") }
        }
        guard (1...600).contains(metricResolution) else {
            throw ValidationError("--metric-resolution must be 1 to 600 s")
        }
        guard (0...600).contains(metricDelay) else { throw ValidationError("--metric-delay must be 0 to 600 s") }
    }

    func run() async throws {
        let record = try await ReportCommand.load(run, from: store)
        let profile = try ReplicaProfile(run: record, variant: variant, workload: workload)
        let catalog = try PricingCommand.loadCatalog(pricing ?? record.spec.pricing ?? PriceCatalogs.defaultName)
        let hpa = HPASpec(
            minReplicas: minReplicas, maxReplicas: maxReplicas, targetUtilization: try Self.percent(targetCpu) / 100)
        let plan = ScalingPlan(
            profile: profile, trace: try loadTrace(capacity: profile.curve.capacity), hpa: hpa, catalog: catalog,
            startupSeconds: startup, cpuRequest: cpuRequest, metricResolutionSeconds: metricResolution,
            metricDelaySeconds: metricDelay, keda: keda.map { KEDASpec(threshold: $0, maxReplicaCount: maxReplicas) })
        let page = PlanPage(plan: plan, run: record.id, minutes: minutes)
        if let svg { try LoadFiles.write(Data(PlanChart(plan: plan).render().utf8), to: svg) }
        let text = try page.render(format)
        guard let output else {
            print(text, terminator: "")
            return
        }
        try LoadFiles.write(Data(text.utf8), to: output)
        Terminal.note("\(format.rawValue) plan of run \(record.id): \(output)")
    }

    /// The trace `--trace` names, built-in shapes scaled to `--peak` (ten replicas' capacity unless given).
    func loadTrace(capacity: Double) throws -> TrafficTrace {
        let seconds = try length.map {
            Int(
                try DurationText.nanoseconds($0, what: "--length", maximum: Int64(TrafficTrace.longest) * 1_000_000_000)
                    / 1_000_000_000)
        }
        if let seconds, seconds < 60 { throw UserError("--length: a trace lasts at least 1m") }
        if let shape = TrafficTrace.Shape(rawValue: trace) {
            return .builtIn(shape, peak: peak ?? capacity * 10, length: seconds)
        }
        guard trace.lowercased().hasSuffix(".csv") else {
            throw UserError("--trace: '\(trace)' is none of diurnal, spike, step, nor a .csv file")
        }
        if peak != nil || length != nil { throw UserError("--peak and --length shape the built-in traces, not a CSV") }
        let data = try InputFile.read(trace)
        return try TrafficTrace(csv: String(decoding: data, as: UTF8.self), file: trace)
    }

    /// `70%` or `70` as 70.
    static func percent(_ text: String) throws -> Double {
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 1, value <= 1_000 else {
            throw ValidationError("--target-cpu must be a percent from 1% to 1000%, like 70%")
        }
        return value
    }
}
