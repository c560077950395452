import Foundation
import Logging
import NIOConcurrencyHelpers
import StackLabCore
import StackLabLoad
import StackLabLocal

/// Runs an experiment on this machine: every variant's stack as supervised local processes, every trial
/// through the load engine, each component's resources sampled over exactly the measured window.
///
/// The run is written to the results store as it goes: begun as running, each finished trial in its own
/// transaction, then finished as completed or aborted, so an interrupted run keeps what finished and says it
/// was aborted. No process it started outlives `run()`, however it ends.
public final class ExperimentRunner: Sendable {
    public struct Options: Sendable {
        /// Where this run's directory (component logs, databases, rendered configs) is created.
        public var runsDirectory: URL
        /// Where StackLab's own executables are, for the reference app.
        public var binDirectory: URL
        public var pinCPUs: Bool = true
        /// The experiment file's text, kept with the run.
        public var specSource: String?

        public init(runsDirectory: URL, binDirectory: URL) {
            self.runsDirectory = runsDirectory
            self.binDirectory = binDirectory
        }
    }

    public let spec: ExperimentSpec
    public let options: Options
    public let store: any ResultsStore
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stopped = false
        var engine: LoadEngine?
    }

    public init(
        spec: ExperimentSpec, options: Options, store: any ResultsStore, logger: Logger = Logger(label: "stacklab.run")
    ) {
        self.spec = spec
        self.options = options
        self.store = store
        self.logger = logger
    }

    /// Ends the run after the current trial's load stops (Ctrl-C): what finished is kept.
    public func stop() {
        let engine = state.withLockedValue { state -> LoadEngine? in
            state.stopped = true
            return state.engine
        }
        engine?.stop()
    }

    private var stopped: Bool { state.withLockedValue { $0.stopped } }

    /// Runs every trial and returns the record, as it is also written to the store.
    ///
    /// Cancelling the calling task stops the run as `stop()` does.
    /// - Throws: `UserError` when a component cannot start (with its log tail); the stored run is then
    ///   marked aborted with the trials that finished.
    public func run(events: @escaping @Sendable (RunEvent) -> Void) async throws -> (record: RunRecord, directory: URL)
    {
        try await withTaskCancellationHandler {
            try await runTrials(events: events)
        } onCancel: {
            stop()
        }
    }

    private func runTrials(
        events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> (record: RunRecord, directory: URL) {
        for (_, workload) in spec.trialWorkloads where !workload.wireProtocol.isSupported {
            throw UserError(
                "workload protocol \(workload.wireProtocol.rawValue) is not supported yet; use http, redis, postgres or mysql"
            )
        }
        // Every variant's components installed and runnable, before any load: not a failure after an hour.
        try LocalStack.preflight(spec, binDirectory: options.binDirectory)
        try LocalStack.checkDiskSpace(spec, runsDirectory: options.runsDirectory)
        let id = Self.runID(name: spec.name)
        let directory = options.runsDirectory.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let plan = options.pinCPUs ? CPUPinning.plan() : PinningPlan(load: nil, components: nil, note: "not pinned")
        var pinning = plan.note
        if let loadCPUs = plan.load {
            let outcome = CPUPinning.pin(processID: getpid(), to: loadCPUs)
            if !outcome.isPinned { pinning = outcome.note }
        }
        let locator = ComponentLocator(binDirectory: options.binDirectory)
        let versions = Dictionary(
            spec.components.map { ($0.name, locator.status(of: ComponentSource.of($0)).version ?? "unknown") }
        ) { first, _ in first }
        var record = RunRecord(
            id: id, startedAt: ISO8601DateFormatter().string(from: Date()), spec: spec,
            fingerprint: MachineFacts.fingerprint(componentVersions: versions, pinning: pinning))
        record.specSource = options.specSource
        try await store.beginRun(record)

        let trials = TrialPlan.all(for: spec)
        do {
            // A variant whose entry speaks none of the workloads has no trials: its stack is not started.
            for variant in spec.variants where !stopped && trials.contains(where: { $0.variant == variant }) {
                let missing = notInstalledApps(of: variant)
                if !missing.isEmpty {
                    // Reported as not installed, never silently dropped; the other variants run.
                    record.apps = (record.apps ?? []) + missing
                    try await store.addAppFacts(missing, toRun: id)
                    for facts in missing { events(.appFacts(facts)) }
                    continue
                }
                events(.startingVariant(name: variant.name, components: variant.stack))
                let variantDirectory = directory.appendingPathComponent(variant.name)
                try await withSupervisor(runDirectory: variantDirectory, grace: .seconds(5), logger: logger) {
                    supervisor in
                    let ports = PortAllocator()
                    let stack = try await LocalStack.start(
                        variant, of: spec, supervisor: supervisor, ports: ports,
                        binDirectory: options.binDirectory, cpus: plan.components)
                    // What each component was configured with is kept with the run (`stacklab show --config`).
                    let configs = stack.components.flatMap { running in
                        running.plan.configFiles.map {
                            ComponentConfig(
                                variant: variant.name, component: running.plan.component.name, fileName: $0.fileName,
                                text: $0.text)
                        }
                    }
                    if !configs.isEmpty {
                        record.configs += configs
                        try await store.addConfigs(configs, toRun: id)
                    }
                    let apps = try await measureApps(of: variant, stack: stack, supervisor: supervisor)
                    if !apps.isEmpty {
                        record.apps = (record.apps ?? []) + apps
                        try await store.addAppFacts(apps, toRun: id)
                        for facts in apps { events(.appFacts(facts)) }
                    }
                    for (index, trial) in trials.enumerated() where trial.variant == variant {
                        guard !stopped else { break }
                        try supervisor.checkAllRunning()
                        events(.trialStarted(index: index + 1, of: trials.count, plan: trial))
                        let measurement = try await runTrial(
                            trial, stack: stack, loadThreads: plan.load?.count, events: events)
                        try supervisor.checkAllRunning()
                        record.trials.append(measurement)
                        try await store.appendTrial(measurement, toRun: id)
                        events(.trialFinished(measurement))
                    }
                    // Backup and restore drills of the databases that ask for one, on the data the trials left.
                    guard !stopped else { return }
                    let drills = try await RecoveryDrills.run(
                        stack, variant: variant.name, supervisor: supervisor, ports: ports)
                    guard !drills.isEmpty else { return }
                    for drill in drills { events(.recoveryDrill(drill)) }
                    record.recoveries = (record.recoveries ?? []) + drills
                    try await store.addRecoveries(drills, toRun: id)
                }
            }
        } catch {
            record.status = .aborted
            record.abortReason =
                error is CancellationError ? "interrupted" : (error as? UserError)?.message ?? "\(error)"
            record.finishedAt = ISO8601DateFormatter().string(from: Date())
            try? await store.finishRun(
                id: id, status: .aborted, abortReason: record.abortReason, finishedAt: record.finishedAt!)
            throw error
        }
        record.status = stopped ? .aborted : .completed
        if stopped { record.abortReason = Task.isCancelled ? "interrupted" : "interrupted (Ctrl-C)" }
        record.finishedAt = ISO8601DateFormatter().string(from: Date())
        try await store.finishRun(
            id: id, status: record.status, abortReason: record.abortReason, finishedAt: record.finishedAt!)
        return (record, directory)
    }

    private func runTrial(
        _ trial: TrialPlan, stack: LocalStack, loadThreads: Int?, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> TrialMeasurement {
        let options = try LoadOptions.trial(
            trial.workload, port: stack.entryPort, rate: trial.rate, threads: loadThreads, tls: stack.entryServesTLS,
            password: stack.components.first?.plan.component.settings["password"])
        let engine = LoadEngine(options: options, logger: logger)
        let alreadyStopped = state.withLockedValue { state -> Bool in
            state.engine = engine
            return state.stopped
        }
        if alreadyStopped { engine.stop() }
        defer { state.withLockedValue { $0.engine = nil } }

        let samplers = stack.components.map { ResourceSampler($0.process, dataDirectory: $0.plan.dataDirectory) }
        let generatorSampler = ResourceSampler(.currentProcess)
        let usages = NIOLockedValueBox<[ResourceUsage]?>(nil)
        let run = try await engine.run(
            progress: { events(.trialProgress($0)) },
            window: { open in
                if open {
                    for sampler in samplers { sampler.start() }
                    generatorSampler.start()
                } else {
                    let measured = samplers.map { $0.stop() } + [generatorSampler.stop()]
                    usages.withLockedValue { $0 = measured }
                }
            })
        let measured = usages.withLockedValue { $0 } ?? (samplers.map { $0.stop() } + [generatorSampler.stop()])
        let components = zip(stack.components, measured).map { running, usage in
            ComponentMeasurement(
                name: running.plan.component.name, kind: running.plan.component.kind.rawValue, usage: usage,
                storedBytes: running.plan.dataDirectory.flatMap { StoredBytes.of($0.path) })
        }
        var load = run.result
        if let slo = spec.slo {
            load.thresholds = try slo.thresholds(for: load).map { try $0.evaluate(load) }
        }
        return TrialMeasurement(
            variant: trial.variant.name, repeatIndex: trial.repeatIndex, offeredRate: trial.rate, load: load,
            components: components, generator: measured.last!, latencyHistogram: EncodedHistogram(run.latency),
            serviceTimeHistogram: EncodedHistogram(run.serviceTime), workload: trial.workloadName)
    }

    static func runID(name: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "\(formatter.string(from: Date()))-\(name)"
    }
}
