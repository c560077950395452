import Foundation
import Logging
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Starts components as child processes on this machine and guarantees that none outlives the run.
///
/// Each child runs in a process group of its own with stdout and stderr in `<name>.out.log` and
/// `<name>.err.log` under the run directory. `stop` sends SIGTERM to the whole group, waits a grace period,
/// then sends SIGKILL and reaps. Children are also ended by `stopAll()`, when the supervisor is deinitialised
/// (SIGKILL at once), when a start with a readiness probe fails, and, through `withSupervisor`, when the
/// owning task throws or is cancelled. Underneath, `OrphanGuard` covers the process dying without any of
/// those.
public final class ProcessSupervisor: Sendable {
    public let runDirectory: URL
    /// The default time between SIGTERM and SIGKILL.
    public let grace: Duration
    private let logger: Logger
    /// Children started and not yet being stopped, in start order.
    private let children = Locked<[ChildProcess]>([])
    /// Directories outside the run directory that the children used, removed once they have stopped.
    private let scratchDirectories = Locked<[URL]>([])

    /// - Parameters:
    ///   - runDirectory: where the logs go; created if missing.
    ///   - grace: the default time between SIGTERM and SIGKILL.
    /// - Throws: `UserError` when the run directory cannot be created.
    public init(
        runDirectory: URL, grace: Duration = .seconds(5), logger: Logger = Logger(label: "stacklab.local")
    )
        throws
    {
        do {
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create run directory \(runDirectory.path): \(error.localizedDescription)")
        }
        self.runDirectory = runDirectory
        self.grace = grace
        self.logger = logger
        OrphanGuard.install()
    }

    deinit {
        let remaining = children.withLock { $0 }
        if !remaining.isEmpty {
            logger.info(
                "supervisor released with children running; killing them", metadata: ["count": "\(remaining.count)"])
            GroupTermination.killNow(remaining)
        }
    }

    /// Children started and not yet stopped, in start order; those that exited on their own included.
    public var running: [ChildProcess] { children.withLock { $0 } }

    /// Children that have exited on their own (not stopped by the supervisor), with their exit status.
    public var exitedOnTheirOwn: [ChildProcess] { running.filter { $0.exitStatus != nil } }

    /// Starts a component and returns at once, without waiting for it to be ready.
    ///
    /// - Throws: `UserError` when the name is unusable or taken, the program or working directory is
    ///   missing, or the program cannot be executed; no process is left behind then.
    public func start(_ command: LaunchCommand) async throws -> ChildProcess {
        try Task.checkCancellation()
        let name = command.name
        guard command.hasUsableName else {
            throw UserError("component name '\(name)' cannot name its log files; use letters, digits, '.', '_' and '-'")
        }
        guard !running.contains(where: { $0.name == name }) else {
            throw UserError("a component named '\(name)' is already running in this run; give each a distinct name")
        }
        let searchPath = command.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"]
        guard let executable = ExecutableLookup.find(command.executable, searchPath: searchPath) else {
            let problem = command.executable.contains("/") ? "is not an executable file" : "was not found on PATH"
            throw UserError(
                "cannot start \(name): '\(command.executable)' \(problem); install it or give its full path")
        }
        let workingDirectory = command.workingDirectory ?? runDirectory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw UserError("cannot start \(name): working directory \(workingDirectory) does not exist")
        }

        let (pinningPrefix, pinning) = CPUPinning.wrapper(for: command.cpus)
        let deathPrefix = OrphanGuard.deathSignalPrefix ?? []
        // A cgroup of its own, so that what it starts in sessions of their own can still be found and killed.
        let cgroup = ComponentCgroup.make(for: name)
        // Groups that enforce its limits and count what it uses, as a kubelet's for a container.
        let limits = ResourceCgroup.make(for: name, resources: command.resources, version2: cgroup)
        if limits == nil, let resources = command.resources, !resources.limits.isEmpty {
            warnLimitsNotEnforced(name)
        }
        let joinFiles = [cgroup.map { $0.path + "/cgroup.procs" }].compactMap { $0 } + (limits?.joinFiles ?? [])
        let arguments =
            deathPrefix + ComponentCgroup.joinPrefix(joinFiles) + pinningPrefix + [executable] + command.arguments
        let outLog = runDirectory.appendingPathComponent("\(name).out.log")
        let errLog = runDirectory.appendingPathComponent("\(name).err.log")
        let request = Spawner.Request(
            executable: arguments[0], arguments: arguments, environment: command.environment,
            workingDirectory: workingDirectory, standardOutputPath: outLog.path, standardErrorPath: errLog.path)

        if let cgroup { OrphanGuard.track(cgroup: cgroup) }
        for group in limits?.version1Groups ?? [] { OrphanGuard.track(cgroup: group) }

        // Spawn and record in one step on the spawn thread, so no pid exists that the supervisor does not know.
        let child = try await SpawnThread.shared.run { [children] () throws -> ChildProcess in
            let pid: Int32
            do throws(Spawner.SpawnFailure) {
                pid = try Spawner.spawn(request)
            } catch {
                for group in [cgroup].compactMap({ $0 }) + (limits?.version1Groups ?? []) {
                    group.remove()
                    OrphanGuard.untrack(cgroup: group)
                }
                throw UserError("cannot start \(name): \(executable): \(error.reason)")
            }
            OrphanGuard.track(pid)
            // The child joins its groups itself before it execs the program (`joinPrefix`); should that have
            // failed, or not have run yet, it and what it started by now are moved here, so that it is in every
            // group when `start` returns (a test read a limit group's members before the child's shell wrote).
            let started = ProcessTable.descendants(of: pid).map(\.pid)
            for group in [cgroup].compactMap({ $0 }) + (limits?.version1Groups ?? []) {
                group.add(pid, started: started)
            }
            let child = ChildProcess(
                name: name, pid: pid, command: command, standardOutputLog: outLog, standardErrorLog: errLog,
                pinning: pinning, diesWithParent: !deathPrefix.isEmpty, cgroup: cgroup,
                resourceCgroup: limits)
            children.withLock { $0.append(child) }
            return child
        }
        logger.info(
            "started",
            metadata: [
                "component": "\(name)", "pid": "\(child.pid)",
                "command": "\(([executable] + command.arguments).joined(separator: " "))",
                "pinning": "\(pinning)",
            ])
        return child
    }

    /// Starts a component and waits until `readiness` passes.
    ///
    /// - Throws: `UserError` naming the component, what did not become ready and the tail of its logs when
    ///   it exits first or `timeout` passes; `CancellationError` when the task is cancelled. The child is
    ///   stopped before either is thrown.
    public func start(
        _ command: LaunchCommand, readiness: ReadinessProbe, timeout: Duration = .seconds(30)
    )
        async throws -> ChildProcess
    {
        let child = try await start(command)
        let failure: ReadinessProbe.Failure?
        do {
            failure = try await readiness.poll(child, timeout: timeout)
        } catch {
            await stop(child)
            throw error
        }
        guard let failure else { return child }
        await stop(child)
        throw failure.userError()
    }

    /// Stops one child and all it started: SIGTERM to its group, up to `grace`, then SIGKILL; reaps it.
    ///
    /// Stopping a child twice, or one being stopped elsewhere, signals nothing: the group id may already
    /// belong to another process. It waits for that other stop and returns its result.
    ///
    /// - Returns: how the child ended; `.signalled(SIGTERM)` for one that obeyed.
    @discardableResult
    public func stop(_ child: ChildProcess, grace: Duration? = nil) async -> ExitStatus {
        guard claim([child]).count == 1 else {
            return await child.waitUntilReaped(limit: (grace ?? self.grace) + GroupTermination.killWait * 2)
        }
        let status = await GroupTermination.stop([child], grace: grace ?? self.grace, logger: logger)[0]
        logger.info("stopped", metadata: ["component": "\(child.name)", "pid": "\(child.pid)", "status": "\(status)"])
        return status
    }

    /// Kills one child and its group with SIGKILL at once (a crash, for a durability drill) and reaps it; it
    /// may then be started again under the same name.
    public func kill(_ child: ChildProcess) {
        guard claim([child]).count == 1 else { return }
        GroupTermination.killNow([child])
        logger.info("killed", metadata: ["component": "\(child.name)", "pid": "\(child.pid)"])
    }

    /// Stops every child, all at once, each as `stop` does, then removes the scratch directories.
    public func stopAll(grace: Duration? = nil) async {
        let all = claim(running)
        if !all.isEmpty {
            let statuses = await GroupTermination.stop(all, grace: grace ?? self.grace, logger: logger)
            for (child, status) in zip(all, statuses) {
                logger.info(
                    "stopped", metadata: ["component": "\(child.name)", "pid": "\(child.pid)", "status": "\(status)"])
            }
        }
        let scratch = scratchDirectories.withLock { list in
            defer { list = [] }
            return list
        }
        for directory in scratch {
            try? FileManager.default.removeItem(at: directory)
            OrphanGuard.untrack(directory: directory)
        }
    }

    /// Removes `directory` (a component's data kept outside the run directory) when the children are stopped,
    /// or, should this process die first, when the orphan watchdog has killed them.
    public func removeWhenStopped(_ directory: URL) {
        OrphanGuard.track(directory: directory)
        scratchDirectories.withLock { $0.append(directory) }
    }

    /// Says once per process that limits are not enforced here, when the first component with limits starts.
    private func warnLimitsNotEnforced(_ name: String) {
        guard
            Self.limitsWarned.withLock({ warned in
                defer { warned = true }
                return !warned
            })
        else { return }
        logger.warning(
            "CPU and memory limits are not enforced on this machine; components run without them, still priced and sampled from /proc",
            metadata: [
                "component": "\(name)", "reason": "\(ResourceCgroup.unavailableReason ?? "a limit was refused")",
            ])
    }

    private static let limitsWarned = Locked(false)

    /// Takes `candidates` off the running list and returns those that were on it: only the caller may signal
    /// them.
    private func claim(_ candidates: [ChildProcess]) -> [ChildProcess] {
        children.withLock { list in
            let claimed = candidates.filter { candidate in list.contains { $0 === candidate } }
            list.removeAll { child in claimed.contains { $0 === child } }
            return claimed
        }
    }

    /// Throws when a child has exited on its own, so a run does not go on measuring a stack with a hole in it.
    ///
    /// - Throws: `UserError` naming the first such child, how it ended and its log tail.
    public func checkAllRunning() throws {
        guard let child = exitedOnTheirOwn.first, let status = child.exitStatus else { return }
        throw UserError(
            "\(child.name) \(child.ending(status)) while the run needed it; see its logs in \(runDirectory.path)\n"
                + child.logTail())
    }
}
