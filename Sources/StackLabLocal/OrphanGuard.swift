/// The process-wide safety net under every `ProcessSupervisor`, for when this process dies without
/// stopping its children (SIGKILL, a crash, `exit()` on a second Ctrl-C).
///
/// Two layers, set up once per process, both best effort:
/// - An `OrphanWatchdog` that SIGKILLs every child's process group once this process is gone, so a
///   component's own children die too.
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

    /// Starts the watchdog now rather than at the first child.
    static func install() {
        _ = watchdog
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
