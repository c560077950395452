import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// Limits enforced with cgroups as Kubernetes enforces them, on real processes, and counted by the groups.
@Suite(.serialized, .enabled(if: ResourceCgroup.hierarchy != nil, "needs writable cgroups (root)"))
struct ResourceCgroupTests {
    func limited(_ name: String, _ script: String, cpu: Double? = nil, memory: Int? = nil) -> LaunchCommand {
        var command = LaunchCommand(name: name, executable: "sh", arguments: ["-c", script])
        command.resources = Resources(both: .init(cpu: cpu, memory: memory))
        return command
    }

    @Test func aBusyLoopUnderHalfACPUUsesHalfACPUAndIsThrottled() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(limited("busy", "while :; do :; done", cpu: 0.5))
        let group = try #require(child.resourceCgroup)
        // The shell wrote itself into every group before it exec'd the loop.
        for directory in Set(group.directories.values) {
            let members = try String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)
            #expect(members.split(separator: "\n").contains("\(child.pid)"), "\(directory)")
        }
        let meter = CgroupMeter(child)
        meter.open()
        try await Task.sleep(for: .seconds(3))
        let usage = try #require(meter.close())
        await supervisor.stop(child)

        #expect(abs(usage.cores - 0.5) <= 0.05, "used \(usage.cores) cores over \(usage.wallSeconds) s")
        #expect((usage.throttledPeriods ?? 0) > 0)
        #expect((usage.throttledFraction ?? 0) > 0.5, "a loop that never sleeps is held back in most periods")
        let split = (usage.cpuUserSeconds ?? 0) + (usage.cpuSystemSeconds ?? 0)
        #expect(abs(split - usage.cpuSeconds) < 0.1, "user + system \(split) s against \(usage.cpuSeconds) s")
        #expect(usage.cpuLimit == 0.5)
        for directory in Set(group.directories.values) {
            #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) left behind")
        }
    }

    @Test func aComponentOverItsMemoryLimitIsReportedAsKilledByTheOOMKiller() async throws {
        let python = try #require(Tools.python3, "python3 is not installed")
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        var command = limited("hungry", "", memory: 50 << 20)
        command.executable = python
        command.arguments = ["-c", "import time; b = b'x' * (200 * 1024 * 1024); time.sleep(30)"]
        let child = try await supervisor.start(command)
        let meter = CgroupMeter(child)
        meter.open()
        #expect(await ProcessCheck.eventually(within: .seconds(20)) { !child.isRunning })
        let usage = try #require(meter.close())
        let error = #expect(throws: UserError.self) { try supervisor.checkAllRunning() }
        await supervisor.stopAll()

        #expect(
            error?.message.hasPrefix("hungry was killed by the OOM killer at its memory limit 50 MiB") == true,
            "\(error?.message ?? "")")
        #expect(usage.oomKills == 1)
        #expect((usage.memoryPeakBytes ?? 0) <= 50 << 20 && (usage.memoryPeakBytes ?? 0) > 40 << 20)
    }

    @Test func aComponentWithoutLimitsIsCountedButNotHeldBack() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        // Short-lived children only: /proc sampling misses most of them, the group's accounting does not.
        let child = try await supervisor.start(
            LaunchCommand(name: "forks", executable: "sh", arguments: ["-c", "while :; do /bin/true; done"]))
        let group = try #require(child.resourceCgroup)
        #expect(group.directories["cpu"] == nil, "no cpu group without a CPU setting: scheduling stays as it was")
        let meter = CgroupMeter(child)
        meter.open()
        try await Task.sleep(for: .seconds(1))
        let usage = try #require(meter.close())
        await supervisor.stop(child)

        #expect(usage.cores > 0.3, "\(usage.cores)")
        #expect(usage.cpuLimit == nil && usage.periods == nil && usage.throttledSeconds == nil)
    }

    @Test func groupsOfADeadOwnerAreRemovedWithTheirProcesses() async throws {
        let parents = ResourceCgroup.version1Parents
        try #require(!parents.isEmpty, "cgroup v1 only")
        let me = getpid()
        let start = try #require(ProcFS.stat(me)?.startTime)
        // The same pid with another start time: an owner that died, its pid reused by this process.
        let name = "stacklab-\(me).\(start + 1)-crashed-1"
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        for parent in parents {
            #expect(mkdir(parent + "/" + name, 0o755) == 0)
            try "\(sleeper.processIdentifier)\n".write(
                toFile: parent + "/" + name + "/cgroup.procs", atomically: false, encoding: .utf8)
        }

        LeftoverSweep.run()

        sleeper.waitUntilExit()
        #expect(sleeper.terminationReason == .uncaughtSignal)
        for parent in parents {
            #expect(!FileManager.default.fileExists(atPath: parent + "/" + name), "\(parent)/\(name) left behind")
        }
    }

    @Test func mountsAndOwnGroupsAreReadAsTheKernelWritesThem() {
        let mounts = """
            cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
            cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
            cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
            """
        let own = "4:memory:/process_api/abc\n3:cpu,cpuacct:/\n0::/\n"
        let parents = CgroupMounts.version1Parents(["cpu", "cpuacct", "memory", "pids"], mounts: mounts, own: own)
        #expect(
            parents == [
                "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
                "memory": "/sys/fs/cgroup/memory/process_api/abc",
            ])
    }
}
