import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Ends children with everything they started: SIGTERM to each child's process group, a grace period,
/// SIGKILL to what is left, then reaping.
///
/// Processes below a child that moved to a group of their own (`setsid`, `setpgid`) are found through their
/// parent pids and the child's cgroup before the first signal and signalled one by one, so they end too.
/// One that also left the tree (a daemon's double fork, adopted by init) is found through the cgroup, and
/// whatever is still in it once the child is reaped is killed with the cgroup.
enum GroupTermination {
    /// How long to wait after SIGKILL before giving up on a process (one stuck in uninterruptible sleep).
    static let killWait: Duration = .seconds(5)
    static let pollInterval: Duration = .milliseconds(20)

    private struct Target {
        var child: ChildProcess
        var strays: [ProcessTable.Identity]

        init(_ child: ChildProcess) {
            self.child = child
            strays = Self.strays(of: child)
        }

        /// Descendants that left the child's process group, and members of its cgroup that also left its tree
        /// (a backend whose postmaster died, adopted by init).
        static func strays(of child: ChildProcess) -> [ProcessTable.Identity] {
            let members = (child.cgroup?.members ?? []).compactMap(ProcFS.stat)
            var seen: Set<Int32> = []
            return (ProcessTable.descendants(of: child.pid) + members)
                .filter { $0.processGroup != child.pid && !$0.isZombie && seen.insert($0.pid).inserted }
                .map { ProcessTable.Identity(pid: $0.pid, startTime: $0.startTime) }
        }

        func signal(_ signal: Int32) {
            kill(-child.pid, signal)
            for stray in strays where ProcessTable.isAlive(stray) {
                kill(stray.pid, signal)
            }
        }

        /// - Parameter liveGroups: the process groups that have a running member now.
        func isGone(_ liveGroups: Set<Int32>) -> Bool {
            !liveGroups.contains(child.pid) && !strays.contains(where: ProcessTable.isAlive)
        }
    }

    /// Stops `children` together and returns how each child ended, in the same order.
    ///
    /// Waits without blocking a thread, and finishes in a cancelled task too.
    static func stop(_ children: [ChildProcess], grace: Duration, logger: Logger) async -> [ExitStatus] {
        var targets = children.map(Target.init)
        for target in targets {
            target.signal(SIGTERM)
            // A stopped process acts on SIGTERM only once continued.
            target.signal(SIGCONT)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        var remaining = stillRunning(targets)
        while !remaining.isEmpty && clock.now < deadline {
            await Pause.uncancellable(pollInterval)
            remaining = stillRunning(remaining)
        }
        if !remaining.isEmpty {
            for index in targets.indices {
                // Look again: the grace period may have started new descendants.
                targets[index].strays += Target.strays(of: targets[index].child)
            }
            remaining = stillRunning(targets)
            for target in remaining {
                logger.info(
                    "still running after SIGTERM and the grace period; sending SIGKILL",
                    metadata: [
                        "component": "\(target.child.name)", "pid": "\(target.child.pid)", "grace": "\(grace.text)",
                    ])
                target.signal(SIGKILL)
            }
            let killDeadline = clock.now + killWait
            while !remaining.isEmpty && clock.now < killDeadline {
                await Pause.uncancellable(pollInterval)
                remaining = stillRunning(remaining)
            }
        }
        return await reap(children, logger: logger, deadline: clock.now + killWait)
    }

    /// SIGKILLs `children` and their groups at once and waits for them, blocking the calling thread; for
    /// paths that cannot await (deinit).
    static func killNow(_ children: [ChildProcess]) {
        let targets = children.map(Target.init)
        for target in targets { target.signal(SIGKILL) }
        let clock = ContinuousClock()
        let deadline = clock.now + killWait
        var remaining = stillRunning(targets)
        while !remaining.isEmpty && clock.now < deadline {
            usleep(10_000)
            remaining = stillRunning(remaining)
        }
        for target in targets where target.child.reap() != nil {
            OrphanGuard.untrack(target.child.pid)
            removeCgroup(of: target.child)
        }
    }

    /// Kills what is left in the child's cgroup (nothing, normally) and removes it.
    private static func removeCgroup(of child: ChildProcess) {
        for group in child.resourceCgroup?.version1Groups ?? [] where group.remove() {
            OrphanGuard.untrack(cgroup: group)
        }
        guard let cgroup = child.cgroup else { return }
        if cgroup.remove() { OrphanGuard.untrack(cgroup: cgroup) }
    }

    private static func stillRunning(_ targets: [Target]) -> [Target] {
        let liveGroups = ProcessTable.liveGroups()
        return targets.filter { !$0.isGone(liveGroups) }
    }

    private static func reap(
        _ children: [ChildProcess], logger: Logger, deadline: ContinuousClock.Instant
    ) async
        -> [ExitStatus]
    {
        var statuses: [ExitStatus] = []
        for child in children {
            var status = child.reap()
            while status == nil && ContinuousClock().now < deadline {
                await Pause.uncancellable(pollInterval)
                status = child.reap()
            }
            if let status {
                OrphanGuard.untrack(child.pid)
                removeCgroup(of: child)
                statuses.append(status)
            } else {
                logger.warning(
                    "did not end after SIGKILL (uninterruptible sleep?); leaving it",
                    metadata: ["component": "\(child.name)", "pid": "\(child.pid)"])
                statuses.append(.unknown)
            }
        }
        return statuses
    }
}
