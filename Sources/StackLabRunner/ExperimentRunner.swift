import Foundation
import Logging
import NIOConcurrencyHelpers
import StackLabCore
import StackLabLoad
import StackLabLocal

/// Runs an experiment: every variant's stack started by a `StackBackend` (this machine's processes by
/// default), every trial through the load engine, each component's resources sampled over exactly the
/// measured window.
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
        /// Where the stacks run: this machine's processes (`LocalBackend`) unless set.
        public var backend: any StackBackend

        public init(runsDirectory: URL, binDirectory: URL, backend: (any StackBackend)? = nil) {
            self.runsDirectory = runsDirectory
            self.binDirectory = binDirectory
            self.backend = backend ?? LocalBackend(binDirectory: binDirectory)
        }
    }

    public let spec: ExperimentSpec
    public let options: Options
    public let store: any ResultsStore
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stopped = false
        /// Why the run was stopped, as stored: `interrupted (Ctrl-C)`, `interrupted (SIGTERM)`.
        var reason: String?
        var engine: LoadEngine?
        /// The task running the trials, cancelled by `stop()` so that a component start, a readiness wait or
        /// a cold start ends at once rather than running to completion first.
        var work: Task<(record: RunRecord, directory: URL), any Error>?
    }

    public init(
        spec: ExperimentSpec, options: Options, store: any ResultsStore, logger: Logger = Logger(label: "stacklab.run")
    ) {
        self.spec = spec
        self.options = options
        self.store = store
        self.logger = logger
    }

    /// Ends the run now (Ctrl-C, SIGTERM, SIGHUP): the current trial's load stops, a component being started
    /// or measured is given up, every component is stopped, and the trials that finished are kept. The
    /// interrupted trial is not stored: a part of a warm-up or of a measured window is not a measurement.
    ///
    /// - Parameter reason: stored as the run's abort reason; the first call's reason is kept.
    public func stop(reason: String = "interrupted (Ctrl-C)") {
        let (engine, work) = state.withLockedValue {
            state -> (LoadEngine?, Task<(record: RunRecord, directory: URL), any Error>?) in
            if !state.stopped { state.reason = reason }
            state.stopped = true
            return (state.engine, state.work)
        }
        engine?.stop()
        work?.cancel()
    }

    private var stopped: Bool { state.withLockedValue { $0.stopped } }

    /// Runs every trial and returns the record, as it is also written to the store.
    ///
    /// Cancelling the calling task stops the run as `stop()` does.
    /// - Throws: `UserError` when a component cannot start (with its log tail); the stored run is then
    ///   marked aborted with the trials that finished.
    public func run(events: @escaping @Sendable (RunEvent) -> Void) async throws -> (record: RunRecord, directory: URL)
    {
        // A task of its own, so that `stop()` from a signal handler can cancel whatever it is awaiting.
        let work = Task { try await self.runTrials(events: events) }
        let alreadyStopped = state.withLockedValue { state -> Bool in
            state.work = work
            return state.stopped
        }
        if alreadyStopped { work.cancel() }
        return try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            stop(reason: "interrupted")
        }
    }

    private func runTrials(
        events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> (record: RunRecord, directory: URL) {
        let backend = options.backend
        // Every variant's components installed and runnable, before any load: not a failure after an hour.
        try backend.preflight(spec, runsDirectory: options.runsDirectory)
        let id = Self.runID(name: spec.name)
        let directory = options.runsDirectory.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: options.runsDirectory, withIntermediateDirectories: true)
        // Private to this user: it holds keys, passwords and the databases' data.
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])

        let plan = options.pinCPUs ? CPUPinning.plan() : PinningPlan(load: nil, components: nil, note: "not pinned")
        var pinning = plan.note
        if let loadCPUs = plan.load {
            let outcome = CPUPinning.pin(processID: getpid(), to: loadCPUs)
            if !outcome.isPinned { pinning = outcome.note }
        }
        let versions = backend.versions(of: spec)
        var record = RunRecord(
            id: id, startedAt: ISO8601DateFormatter().string(from: Date()), spec: spec,
            fingerprint: MachineFacts.fingerprint(componentVersions: versions, pinning: pinning))
        record.specSource = options.specSource
        // The CPUs the stack really had, which its capacity is priced for (children are pinned with taskset).
        if CPUPinning.tasksetPath() != nil { record.fingerprint.componentCPUs = plan.components?.count }
        try await store.beginRun(record)

        let trials = TrialPlan.all(for: spec)
        let total = TrialPlan.maximumCount(of: trials, repeats: spec.repeats)
        var started = 0
        var skipped: Set<String> = []
        // One trial run, stored and reported; nil when the run was stopped during it (a part of a trial is not
        // stored).
        func measure(_ trial: TrialPlan, on stack: any RunningStack) async throws -> TrialMeasurement? {
            try stack.checkRunning()
            started += 1
            events(.trialStarted(index: started, of: total, plan: trial))
            let measurement = try await runTrial(trial, stack: stack, loadThreads: plan.load?.count, events: events)
            guard !stopped else { return nil }
            try stack.checkRunning()
            record.trials.append(measurement)
            try await store.appendTrial(measurement, toRun: id)
            events(.trialFinished(measurement))
            return measurement
        }
        do {
            // Round by round (repeat 1 of every variant, then repeat 2…), each variant's stack started afresh per
            // round: drift over the run spreads over every variant. A variant whose entry speaks none of the
            // workloads has no trials: its stack is not started.
            for (round, variant) in Self.rounds(of: trials) where !stopped {
                let first = round == trials.filter({ $0.variant == variant }).map(\.repeatIndex).min()
                let last = round == trials.filter({ $0.variant == variant }).map(\.repeatIndex).max()
                guard !skipped.contains(variant.name) else { continue }
                let missing = first ? backend.notInstalledApps(of: variant, in: spec) : []
                if !missing.isEmpty {
                    // Reported as not installed, never silently dropped; the other variants run.
                    skipped.insert(variant.name)
                    record.apps = (record.apps ?? []) + missing
                    try await store.addAppFacts(missing, toRun: id)
                    for facts in missing { events(.appFacts(facts)) }
                    continue
                }
                events(.startingVariant(name: variant.name, components: variant.stack))
                // Each round in a directory of its own: a database starts from a fresh data directory.
                let variantDirectory = directory.appendingPathComponent(
                    round == 1 ? variant.name : "\(variant.name)/repeat-\(round)")
                try await backend.withStack(variant, of: spec, directory: variantDirectory, cpus: plan.components) {
                    stack in
                    // What each component was configured with is kept with the run (`stacklab show --config`).
                    let configs = stack.configs(variant: variant.name)
                    if first, !configs.isEmpty {
                        record.configs += configs
                        try await store.addConfigs(configs, toRun: id)
                    }
                    let apps = first ? try await measureApps(of: variant, stack: stack) : []
                    if !apps.isEmpty {
                        record.apps = (record.apps ?? []) + apps
                        try await store.addAppFacts(apps, toRun: id)
                        for facts in apps { events(.appFacts(facts)) }
                    }
                    try await stack.prepareForTrials()
                    // Every PromQL query asked once before any load: one the backend refuses stops the run here,
                    // naming the query and the backend's message.
                    let queries = trials.filter { $0.variant == variant && $0.repeatIndex == round }
                        .flatMap { $0.workload.queries ?? [] }
                    if first, !queries.isEmpty { try PromQLCheck.check(queries, port: stack.entry.port) }
                    for trial in trials where trial.variant == variant && trial.repeatIndex == round {
                        guard !stopped else { break }
                        guard case .search(let search) = trial.workload.arrival else {
                            // Stopped during its warm-up or measured window: a part of a trial, not stored.
                            guard try await measure(trial, on: stack) != nil else { break }
                            continue
                        }
                        // A capacity search: each rate's repeats back to back, the next rate from their verdicts.
                        var probes: [CapacitySearch.Probe] = []
                        while !stopped, let rate = search.next(after: probes) {
                            var passed = true
                            for repeatIndex in 1...max(spec.repeats, 1) where passed && !stopped {
                                var probe = trial
                                probe.rate = rate
                                probe.repeatIndex = repeatIndex
                                guard let measurement = try await measure(probe, on: stack) else { break }
                                passed = measurement.load.thresholds.allSatisfy(\.passed)
                            }
                            probes.append(.init(rate: rate, passed: passed))
                        }
                    }
                    // Backup and restore drills of the databases that ask for one, on the data the last round left.
                    guard !stopped, last else { return }
                    let drills = try await stack.recoveryDrills(variant: variant.name)
                    guard !drills.isEmpty else { return }
                    for drill in drills { events(.recoveryDrill(drill)) }
                    record.recoveries = (record.recoveries ?? []) + drills
                    try await store.addRecoveries(drills, toRun: id)
                }
            }
        } catch {
            let interruption = state.withLockedValue { $0.stopped ? $0.reason : nil }
            record.status = .aborted
            record.abortReason =
                interruption
                ?? (error is CancellationError ? "interrupted" : (error as? UserError)?.message ?? "\(error)")
            record.finishedAt = ISO8601DateFormatter().string(from: Date())
            try? await store.finishRun(
                id: id, status: .aborted, abortReason: record.abortReason, finishedAt: record.finishedAt!)
            // Stopped on purpose: what finished is the result, as when the stop came between trials.
            if interruption != nil { return (record, directory) }
            throw error
        }
        let interruption = state.withLockedValue { $0.stopped ? $0.reason : nil }
        record.status = interruption == nil ? .completed : .aborted
        record.abortReason = interruption
        record.finishedAt = ISO8601DateFormatter().string(from: Date())
        try await store.finishRun(
            id: id, status: record.status, abortReason: record.abortReason, finishedAt: record.finishedAt!)
        return (record, directory)
    }

    private func runTrial(
        _ trial: TrialPlan, stack: any RunningStack, loadThreads: Int?, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> TrialMeasurement {
        let options = try LoadOptions.trial(trial.workload, entry: stack.entry, rate: trial.rate, threads: loadThreads)
        let engine = LoadEngine(options: options, logger: logger)
        let alreadyStopped = state.withLockedValue { state -> Bool in
            state.engine = engine
            return state.stopped
        }
        if alreadyStopped { engine.stop() }
        defer { state.withLockedValue { $0.engine = nil } }

        let window = stack.resourceWindow()
        let generatorSampler = ResourceSampler(.currentProcess)
        let generator = NIOLockedValueBox<ResourceUsage?>(nil)
        let run = try await engine.run(
            progress: { events(.trialProgress($0)) },
            window: { open in
                if open {
                    window.open()
                    generatorSampler.start()
                } else {
                    window.close()
                    let usage = generatorSampler.stop()
                    generator.withLockedValue { $0 = usage }
                }
            })
        let components = window.measurements()
        let generatorUsage = generator.withLockedValue { $0 } ?? generatorSampler.stop()
        var load = run.result
        if let slo = spec.slo {
            load.thresholds = try slo.thresholds(for: load).map { try $0.evaluate(load) }
        }
        return TrialMeasurement(
            variant: trial.variant.name, repeatIndex: trial.repeatIndex, offeredRate: trial.rate, load: load,
            components: components, generator: generatorUsage, latencyHistogram: EncodedHistogram(run.latency),
            serviceTimeHistogram: EncodedHistogram(run.serviceTime), workload: trial.workloadName)
    }

    /// Each (round, variant) with trials, in the order `trials` runs them.
    static func rounds(of trials: [TrialPlan]) -> [(round: Int, variant: Variant)] {
        var rounds: [(round: Int, variant: Variant)] = []
        for trial in trials
        where !rounds.contains(where: { $0.round == trial.repeatIndex && $0.variant == trial.variant }) {
            rounds.append((trial.repeatIndex, trial.variant))
        }
        return rounds
    }

    /// `20261202-002442-3f9a1c-NAME`: the start in UTC, to the second, then six random hex digits so that runs
    /// started in the same second (in one process or several) get distinct ids; an id still sorts by time,
    /// and a prefix of it (the date, the time) still picks it out in `stacklab show`.
    static func runID(name: String, at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let random = String(UInt32.random(in: 0..<0x100_0000), radix: 16)
        return "\(formatter.string(from: date))-\(String(repeating: "0", count: 6 - random.count) + random)-\(name)"
    }
}
