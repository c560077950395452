import Foundation
import StackLabCore

/// Where a run's stacks run: this machine's processes (`LocalBackend`) today, a Kubernetes cluster later.
///
/// The runner asks a backend only this: can the spec run here, start a variant's stack for a round, and, of
/// the running stack, its entry endpoint, its components' resources over a measured window, its apps' facts
/// and its recovery drills; the stack is stopped when the round's body returns, however it ends.
public protocol StackBackend: Sendable {
    /// Checks before anything starts, or any load is sent, that every variant of `spec` can run here.
    ///
    /// - Parameter runsDirectory: where the run's directory will be (its disk holds the databases' data).
    /// - Throws: `UserError` listing every problem, with what to do about each.
    func preflight(_ spec: ExperimentSpec, runsDirectory: URL) throws

    /// The version each component of `spec` runs at here, by component name (`unknown` when it cannot be read).
    func versions(of spec: ExperimentSpec) -> [String: String]

    /// One fact per app of `variant` that cannot run here because its runtime is missing: the variant is
    /// skipped and reported as not installed. Empty when it can run.
    func notInstalledApps(of variant: Variant, in spec: ExperimentSpec) -> [AppFacts]

    /// Starts every component of `variant`, runs `body` with the running stack, and stops the stack when
    /// `body` returns or throws, or the task is cancelled.
    ///
    /// - Parameters:
    ///   - directory: the round's own directory (logs, configurations, the databases' data).
    ///   - cpus: the CPUs the components may use (the load generator's are kept apart), nil for any.
    func withStack<Result>(
        _ variant: Variant, of spec: ExperimentSpec, directory: URL, cpus: CPUSet?,
        _ body: (any RunningStack) async throws -> Result
    ) async throws -> Result
}

/// A variant's stack started by a backend, for the length of a round.
public protocol RunningStack: Sendable {
    /// Where the load engine reaches the stack: its first component's endpoint, with its credentials.
    var entry: ComponentEndpoint { get }

    /// The configuration files each component was started with, as written (`stacklab show --config`).
    func configs(variant: String) -> [ComponentConfig]

    /// Throws `UserError` naming a component that has stopped on its own, with the end of its log.
    func checkRunning() throws

    /// Sampling of every component's resources, to be opened and closed around the measured window.
    func resourceWindow() -> any ResourceWindow

    /// Measures each app of the stack before its trials: idle memory, cold start, artifact size (the build
    /// times are the results store's, added by the runner). A figure that cannot be measured is left out
    /// with a note; only cancellation throws.
    func measureApps(variant: String) async throws -> [AppFacts]

    /// The backup and restore drills the components ask for (`backup:`), on the data the trials left.
    func recoveryDrills(variant: String) async throws -> [RecoveryDrill]

    /// Waits for what must hold before a round's first trial once the components are ready: a metrics backend
    /// has scraped its targets once. Throws `UserError` when it never does.
    func prepareForTrials() async throws
}

extension RunningStack {
    /// Nothing to wait for.
    public func prepareForTrials() async throws {}
}

/// The resources of a stack's components over one measured window.
public protocol ResourceWindow: Sendable {
    /// Starts sampling: called as the measured window opens.
    func open()
    /// Stops sampling: called as the measured window closes, on the load engine's thread, so it is quick.
    func close()
    /// Each component's measurement over the window, in stack order, with what it stores on disk now; a window
    /// that was never closed (the run stopped) is closed first.
    func measurements() -> [ComponentMeasurement]
}
