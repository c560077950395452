import Foundation

/// The process-wide safety net under every `ProcessSupervisor`, for when this process dies without
/// stopping its children (SIGKILL, a crash, `exit()` on a second Ctrl-C).
///
/// Three layers, set up once per process, all best effort:
/// - An `OrphanWatchdog` that SIGKILLs every child's process group and cgroup once this process is gone, so a
///   component's own children die too, even those that left its session (PostgreSQL's backends), and
///   removes its scratch directories.
/// - `LeftoverSweep` at the first supervisor, for what a watchdog could not finish (it was killed too).
/// - Each child starts under `setpriv --pdeathsig KILL` (util-linux): the kernel kills the child itself
///   when this process dies, even in the instant before the watchdog hears of it. That needs
///   `prctl(PR_SET_PDEATHSIG)` between `fork` and `exec`, which Swift cannot run safely without a C
///   target; `setpriv` does exactly that and then `exec`s the component, keeping its pid.
enum OrphanGuard {
    /// The process's watchdog, started on first use; nil when /bin/sh could not be started.
    static let watchdog = OrphanWatchdog()

    /// `setpriv --pdeathsig KILL --` to put before a child's command, or nil when `setpriv` is not installed.
    static let deathSignalPrefix: [String]? = ExecutableLookup.find("setpriv", includeSystemDirectories: true)
        .map { [$0, "--pdeathsig", "KILL", "--"] }

    /// Removes what dead stacklab processes left behind, once per process.
    private static let sweep: Void = LeftoverSweep.run()

    /// Starts the watchdog now rather than at the first child, after sweeping up what dead runs left.
    static func install() {
        sweep
        _ = watchdog
    }

    /// Has the watchdog kill every process in a component's cgroup, and remove it, if this process dies.
    static func track(cgroup: ComponentCgroup) {
        watchdog?.remember(cgroup: cgroup.path)
    }

    /// The cgroup is removed.
    static func untrack(cgroup: ComponentCgroup) {
        watchdog?.forget(cgroup: cgroup.path)
    }

    /// Has the watchdog remove `directory` (data kept outside the run directory) if this process dies.
    ///
    /// A path with white space in it is not tracked (the watchdog keeps a space-separated list); the
    /// sweep at the next start removes it.
    static func track(directory: URL) {
        guard !directory.path.contains(where: \.isWhitespace) else { return }
        watchdog?.remember(directory: directory.path)
    }

    /// The directory is removed.
    static func untrack(directory: URL) {
        guard !directory.path.contains(where: \.isWhitespace) else { return }
        watchdog?.forget(directory: directory.path)
    }

    /// Has the watchdog kill a child's process group if this process dies.
    static func track(_ group: Int32) {
        watchdog?.remember(group)
    }

    /// The group is reaped and its id may be reused: forget it.
    static func untrack(_ group: Int32) {
        watchdog?.forget(group)
    }
}
