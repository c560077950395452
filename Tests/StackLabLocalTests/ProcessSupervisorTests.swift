import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// Real child processes; each test ends by reading the process table for anything it left behind.
@Suite(.serialized)
struct ProcessSupervisorTests {
    func sh(_ name: String, _ script: String, in directory: URL? = nil) -> LaunchCommand {
        LaunchCommand(name: name, executable: "sh", arguments: ["-c", script], workingDirectory: directory?.path)
    }

    @Test func componentThatExitsAtStartFailsWithItsLogTailAndLeavesNothing() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let port = try PortAllocator().next()
        let script =
            "echo $$ > broken.pid; echo 'loading config'; echo 'fatal: unknown directive \"lisen\" in line 3' >&2; exit 3"
        let error = await #expect(throws: UserError.self) {
            try await supervisor.start(sh("broken", script), readiness: .tcp(port: port), timeout: .seconds(10))
        }
        let message = error?.message ?? ""
        #expect(message.hasPrefix("broken exited with status 3 before it was ready"), "\(message)")
        #expect(message.contains("fatal: unknown directive \"lisen\" in line 3"), "\(message)")
        #expect(message.contains("loading config"), "stdout's tail too: \(message)")
        #expect(message.contains("broken.err.log"), "\(message)")

        let pid = try #require(await readPID(directory.appendingPathComponent("broken.pid")))
        // Reaped, not a zombie: the pid is gone from the table.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        #expect(supervisor.running.isEmpty)
    }

    @Test func componentThatNeverBecomesReadyTimesOutAndIsStopped() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let port = try PortAllocator().next()
        let started = ContinuousClock.now
        let error = await #expect(throws: UserError.self) {
            try await supervisor.start(
                sh("sleepy", "echo $$ > sleepy.pid; echo 'still warming up' >&2; exec sleep 60"),
                readiness: .tcp(port: port), timeout: .seconds(1))
        }
        let message = error?.message ?? ""
        #expect(message.hasPrefix("sleepy did not become ready within 1 s"), "\(message)")
        #expect(message.contains("127.0.0.1:\(port)"), "\(message)")
        #expect(message.contains("Connection refused"), "\(message)")
        #expect(message.contains("still warming up"), "\(message)")
        #expect(ContinuousClock.now - started < .seconds(30))

        let pid = try #require(await readPID(directory.appendingPathComponent("sleepy.pid")))
        #expect(!ProcessTree.isRunning(pid))
        #expect(supervisor.running.isEmpty)
    }

    @Test func stopEscalatesToSIGKILLForAGroupThatIgnoresSIGTERM() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        // `true` after sleep keeps the shell from exec'ing sleep, so there are two processes; both ignore TERM.
        let child = try await supervisor.start(sh("stubborn", "trap '' TERM; sleep 60; true"))
        #expect(await ProcessCheck.eventually { !ProcessTree.descendants(of: child.pid).isEmpty })
        let processes = [child.pid] + ProcessTree.descendants(of: child.pid)
        #expect(processes.count == 2)

        let began = ContinuousClock.now
        let status = await supervisor.stop(child, grace: .milliseconds(500))
        let took = ContinuousClock.now - began

        #expect(status == .signalled(SIGKILL))
        #expect(took >= .milliseconds(500), "SIGKILL only after the grace period (took \(took))")
        for pid in processes {
            #expect(!ProcessTree.isRunning(pid), "pid \(pid) survived")
        }
    }

    @Test func aChildTreeIsStoppedWhole() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(sh("tree", "sleep 60 & sleep 60 & wait"))
        #expect(await ProcessCheck.eventually { ProcessTree.descendants(of: child.pid).count == 2 })
        let processes = [child.pid] + ProcessTree.descendants(of: child.pid)

        await supervisor.stopAll()

        for pid in processes {
            #expect(!ProcessTree.isRunning(pid), "pid \(pid) survived")
        }
        #expect(child.exitStatus == .signalled(SIGTERM))
        #expect(supervisor.running.isEmpty)
    }

    @Test func strayThatLeftTheGroupIsStoppedToo() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        // setsid puts the inner sleep in a session and group of its own, out of reach of the group signal.
        let child = try await supervisor.start(sh("daemonish", "setsid sleep 60 & wait"))
        #expect(await ProcessCheck.eventually { !ProcessTree.descendants(of: child.pid).isEmpty })
        let processes = [child.pid] + ProcessTree.descendants(of: child.pid)

        await supervisor.stop(child, grace: .seconds(2))

        for pid in processes {
            #expect(!ProcessTree.isRunning(pid), "pid \(pid) survived")
        }
    }

    @Test func cancellingTheTaskInsideWithSupervisorLeavesNoChild() async throws {
        let directory = makeRunDirectory()
        let started = Locked<[Int32]>([])
        let task = Task {
            try await withSupervisor(runDirectory: directory) { supervisor in
                let child = try await supervisor.start(self.sh("worker", "sleep 60 & sleep 60 & wait"))
                started.withLock { $0.append(child.pid) }
                try await Task.sleep(for: .seconds(60))
            }
        }
        #expect(await ProcessCheck.eventually { started.withLock { $0.count } == 1 })
        let root = try #require(started.withLock { $0.first })
        #expect(await ProcessCheck.eventually { ProcessTree.descendants(of: root).count == 2 })
        let processes = [root] + ProcessTree.descendants(of: root)

        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        for pid in processes {
            #expect(!ProcessTree.isRunning(pid), "pid \(pid) survived")
        }
    }

    @Test func withSupervisorStopsChildrenWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let started = Locked<[Int32]>([])
        await #expect(throws: Boom.self) {
            try await withSupervisor(runDirectory: makeRunDirectory()) { supervisor in
                started.withLock { $0.append(0) }
                let child = try await supervisor.start(self.sh("victim", "sleep 60; true"))
                started.withLock { $0 = [child.pid] }
                throw Boom()
            }
        }
        let pid = try #require(started.withLock { $0.first })
        #expect(!ProcessTree.isRunning(pid))
    }

    @Test func releasingTheSupervisorKillsItsChildren() async throws {
        func startAndForget() async throws -> Int32 {
            let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
            return try await supervisor.start(sh("forgotten", "sleep 60; true")).pid
        }
        let pid = try await startAndForget()
        #expect(!ProcessTree.isRunning(pid))
    }

    @Test func aComponentThatExitsOnItsOwnIsNoticedWithItsStatus() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(sh("flaky", "echo 'out of memory' >&2; exit 7"))
        #expect(await ProcessCheck.eventually { child.exitStatus != nil })
        #expect(child.exitStatus == .exited(7))
        #expect(supervisor.exitedOnTheirOwn.map(\.name) == ["flaky"])
        let error = #expect(throws: UserError.self) { try supervisor.checkAllRunning() }
        #expect(error?.message.hasPrefix("flaky exited with status 7 while the run needed it") == true)
        #expect(error?.message.contains("out of memory") == true)

        // Still held as a zombie (the pid cannot be reused) until stopped, then reaped.
        #expect(ProcessTree.status(child.pid)?.state == "Z")
        await supervisor.stopAll()
        #expect(kill(child.pid, 0) == -1 && errno == ESRCH)
        #expect(child.exitStatus == .exited(7))
    }

    @Test func environmentWorkingDirectoryAndLogsAreTheComponents() async throws {
        let directory = makeRunDirectory()
        let workDirectory = directory.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        var command = sh("echoer", "pwd; echo \"value=$STACKLAB_VALUE\"; echo to-stderr >&2", in: workDirectory)
        command.environment = ["STACKLAB_VALUE": "42", "PATH": "/usr/bin:/bin"]
        let child = try await supervisor.start(command)
        #expect(await ProcessCheck.eventually { child.exitStatus != nil })
        await supervisor.stopAll()

        let out = try String(contentsOf: directory.appendingPathComponent("echoer.out.log"), encoding: .utf8)
        let err = try String(contentsOf: directory.appendingPathComponent("echoer.err.log"), encoding: .utf8)
        #expect(out == "\(workDirectory.path)\nvalue=42\n")
        #expect(err == "to-stderr\n")
    }

    @Test func theChildsPidIsTheProgramItselfNotAWrapper() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(LaunchCommand(name: "sleeper", executable: "sleep", arguments: ["60"]))
        // Once the wrappers (setpriv, taskset) have exec'd, the pid runs `sleep 60` itself.
        #expect(
            await ProcessCheck.eventually {
                let commandLine = FileManager.default.contents(atPath: "/proc/\(child.pid)/cmdline") ?? Data()
                return commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.suffix(2)
                    .elementsEqual([ExecutableLookup.find("sleep")!, "60"])
            })
        // Its own process group, so one signal reaches all it starts.
        let stat = try #require(ProcFS.stat(child.pid))
        #expect(stat.processGroup == child.pid)
        #expect(child.diesWithParent == (ExecutableLookup.find("setpriv", includeSystemDirectories: true) != nil))
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(child.pid))
    }

    @Test func aMissingProgramIsReportedPlainly() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let error = await #expect(throws: UserError.self) {
            try await supervisor.start(LaunchCommand(name: "ghost", executable: "stacklab-no-such-program"))
        }
        #expect(
            error?.message
                == "cannot start ghost: 'stacklab-no-such-program' was not found on PATH; install it or give its full path"
        )
        #expect(supervisor.running.isEmpty)
    }

    @Test func namesMustBeUsableAndDistinct() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        await #expect(throws: UserError.self) { try await supervisor.start(sh("../escape", "true")) }
        let first = try await supervisor.start(sh("twin", "sleep 60; true"))
        let error = await #expect(throws: UserError.self) { try await supervisor.start(sh("twin", "sleep 60; true")) }
        #expect(error?.message.contains("already running") == true)
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(first.pid))
    }
}

/// The safety net for a process that dies without stopping its children.
@Suite(.serialized)
struct OrphanGuardTests {
    @Test func theWatchdogKillsRememberedGroupsWhenItsOwnerGoes() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let kept = try await supervisor.start(
            LaunchCommand(name: "kept", executable: "sh", arguments: ["-c", "sleep 60 & sleep 60; true"]))
        let doomed = try await supervisor.start(
            LaunchCommand(name: "doomed", executable: "sh", arguments: ["-c", "sleep 60 & sleep 60; true"]))
        #expect(await ProcessCheck.eventually { ProcessTree.descendants(of: doomed.pid).count == 2 })
        let doomedProcesses = [doomed.pid] + ProcessTree.descendants(of: doomed.pid)

        // A second watchdog, released as if this process had been killed.
        let watchdog = try #require(OrphanWatchdog())
        watchdog.remember(kept.pid)
        watchdog.remember(doomed.pid)
        watchdog.forget(kept.pid)
        watchdog.release()

        #expect(await ProcessCheck.eventually { doomedProcesses.allSatisfy { !ProcessTree.isRunning($0) } })
        #expect(await ProcessCheck.eventually { !ProcessTree.isRunning(watchdog.pid) })
        #expect(kept.isRunning)
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(kept.pid))
        _ = waitpid(watchdog.pid, nil, 0)
    }

    @Test func childrenAreStartedUnderTheSafetyNet() async throws {
        #expect(OrphanGuard.watchdog != nil)
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(LaunchCommand(name: "netted", executable: "sleep", arguments: ["60"]))
        #expect(child.diesWithParent == (OrphanGuard.deathSignalPrefix != nil))
        // The watchdog runs in a group of its own, out of reach of the groups it guards.
        let watchdog = try #require(OrphanGuard.watchdog)
        #expect(ProcFS.stat(watchdog.pid)?.processGroup == watchdog.pid)
        await supervisor.stopAll()
    }
}

extension ProcessSupervisorTests {
    @Test func stoppingTwiceSignalsOnce() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(sh("twice", "sleep 60; true"))
        async let first = supervisor.stop(child, grace: .seconds(2))
        async let second = supervisor.stop(child, grace: .seconds(2))
        let statuses = await [first, second]
        #expect(statuses == [.signalled(SIGTERM), .signalled(SIGTERM)])
        #expect(await supervisor.stop(child) == .signalled(SIGTERM))
        #expect(!ProcessTree.isRunning(child.pid))
    }
}

/// A component's cgroup reaches what process groups cannot: a process that left both the group and the tree.
@Suite(.serialized, .enabled(if: ComponentCgroup.parent != nil, "needs a writable cgroup v2 hierarchy (root)"))
struct ComponentCgroupTests {
    /// `setsid`, then a parent that exits: the `sleep` is in a session of its own and a child of init, as a
    /// PostgreSQL backend is once its postmaster is killed.
    static let daemon = "setsid sh -c 'sleep 60 & echo $! > daemon.pid'; sleep 60"

    @Test func aDaemonThatLeftTheTreeIsStoppedWithItsComponent() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(
            LaunchCommand(name: "daemonizes", executable: "sh", arguments: ["-c", Self.daemon]))
        let daemon = try #require(await readPID(directory.appendingPathComponent("daemon.pid")))
        #expect(await ProcessCheck.eventually { !ProcessTree.descendants(of: child.pid).contains(daemon) })
        #expect(ProcessTree.isRunning(daemon))

        await supervisor.stop(child, grace: .seconds(2))

        #expect(!ProcessTree.isRunning(daemon), "pid \(daemon) survived")
        let cgroup = try #require(child.cgroup)
        #expect(!FileManager.default.fileExists(atPath: cgroup.path))
    }

    @Test func theWatchdogKillsACgroupAndRemovesScratchWhenItsOwnerGoes() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(
            LaunchCommand(name: "daemonizes", executable: "sh", arguments: ["-c", Self.daemon]))
        let daemon = try #require(await readPID(directory.appendingPathComponent("daemon.pid")))
        let cgroup = try #require(child.cgroup)
        let scratch = makeRunDirectory("scratch")
        try Data("cluster".utf8).write(to: scratch.appendingPathComponent("data"))

        // A second watchdog, released as if this process had been killed.
        let watchdog = try #require(OrphanWatchdog())
        watchdog.remember(cgroup: cgroup.path)
        watchdog.remember(directory: scratch.path)
        watchdog.release()

        #expect(await ProcessCheck.eventually { !ProcessTree.isRunning(daemon) }, "daemon \(daemon) survived")
        #expect(await ProcessCheck.eventually { !child.isRunning }, "\(child) survived")
        #expect(await ProcessCheck.eventually { !FileManager.default.fileExists(atPath: scratch.path) })
        #expect(await ProcessCheck.eventually { !FileManager.default.fileExists(atPath: cgroup.path) })
        #expect(await ProcessCheck.eventually { !ProcessTree.isRunning(watchdog.pid) })
        await supervisor.stopAll()
        _ = waitpid(watchdog.pid, nil, 0)
    }
}
