import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One component started by a `ProcessSupervisor`: its pid, its logs, and how it ended.
///
/// The pid is also the id of the child's own process group. The supervisor does not reap the child when it
/// exits on its own, only when it stops it, so the pid and the group id cannot be reused by an unrelated
/// process while the supervisor might still signal them.
public final class ChildProcess: Sendable, CustomStringConvertible {
    public let name: String
    public let pid: Int32
    public let command: LaunchCommand
    public let standardOutputLog: URL
    public let standardErrorLog: URL
    /// What CPU pinning was applied, for the run's record.
    public let pinning: PinningOutcome
    /// Whether the kernel kills the child if this process dies (started under `setpriv --pdeathsig KILL`).
    public let diesWithParent: Bool
    /// The cgroup holding the child and everything it starts; nil where cgroups cannot be made.
    let cgroup: ComponentCgroup?
    /// The groups enforcing its CPU and memory limits and counting its use; nil where they cannot be made.
    let resourceCgroup: ResourceCgroup?

    private enum State: Sendable {
        case running
        case exited(ExitStatus)
        case reaped(ExitStatus)
    }

    private let state = Locked<State>(.running)

    init(
        name: String, pid: Int32, command: LaunchCommand, standardOutputLog: URL, standardErrorLog: URL,
        pinning: PinningOutcome, diesWithParent: Bool, cgroup: ComponentCgroup? = nil,
        resourceCgroup: ResourceCgroup? = nil
    ) {
        self.name = name
        self.pid = pid
        self.command = command
        self.standardOutputLog = standardOutputLog
        self.standardErrorLog = standardErrorLog
        self.pinning = pinning
        self.diesWithParent = diesWithParent
        self.cgroup = cgroup
        self.resourceCgroup = resourceCgroup
    }

    /// How the child ended, or nil while it runs. Looks at the process table on each call.
    ///
    /// This is about the child itself; processes it started may outlive it until the supervisor stops it.
    public var exitStatus: ExitStatus? {
        state.withLock { state in
            switch state {
            case .exited(let status), .reaped(let status):
                return status
            case .running:
                guard let status = peek() else { return nil }
                state = .exited(status)
                return status
            }
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// The last lines of its stderr and stdout logs, each under a header naming the file.
    public func logTail(lines: Int = 20) -> String {
        LogTail.render(self, lines: lines)
    }

    public var description: String { "\(name) (pid \(pid))" }

    /// Returns once the child is reaped (by a stop running elsewhere) with its status, or after `limit`
    /// with what is known by then.
    func waitUntilReaped(limit: Duration) async -> ExitStatus {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let reaped = state.withLock { state -> ExitStatus? in
                if case .reaped(let status) = state { return status }
                return nil
            }
            if let reaped { return reaped }
            await Pause.uncancellable(.milliseconds(20))
        }
        return exitStatus ?? .unknown
    }

    /// Collects the exit status and frees the pid; only once the child has exited. Nil while it runs.
    func reap() -> ExitStatus? {
        state.withLock { state in
            if case .reaped(let status) = state { return status }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let exit = ExitStatus(waitStatus: status)
                state = .reaped(exit)
                return exit
            }
            if result < 0 && errno == ECHILD {
                // Something else reaped it; keep a status seen earlier.
                if case .exited(let seen) = state {
                    state = .reaped(seen)
                    return seen
                }
                state = .reaped(.unknown)
                return .unknown
            }
            return nil
        }
    }

    /// The exit status without reaping (`waitid` with `WNOWAIT`), nil while the child runs.
    private func peek() -> ExitStatus? {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result != 0 { return errno == ECHILD ? .unknown : nil }
        // With WNOHANG and no exited child, the kernel leaves si_pid zero.
        guard info._sifields._sigchld.si_pid != 0 else { return nil }
        let code = info._sifields._sigchld.si_status
        return info.si_code == Int32(CLD_EXITED) ? .exited(code) : .signalled(code)
    }
}
