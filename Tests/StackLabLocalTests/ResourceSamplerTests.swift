import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// The sampler against real processes whose use is known in advance.
@Suite(.serialized, .enabled(if: Tools.hasPython, "python3 is not installed (apt-get install python3)"))
struct ResourceSamplerTests {
    /// Samples `command` from its start until it exits.
    func measure(_ command: LaunchCommand, interval: Duration = .milliseconds(250)) async throws -> ResourceUsage {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(command)
        let sampler = ResourceSampler(child, interval: interval)
        sampler.start()
        let exited = await ProcessCheck.eventually(within: .seconds(60)) { child.exitStatus != nil }
        let usage = sampler.stop()
        await supervisor.stopAll()
        #expect(exited)
        #expect(child.exitStatus == .exited(0), "\(child.logTail())")
        return usage
    }

    @Test func twoCPUSecondsInChildrenThatExitBetweenSamplesAreCounted() async throws {
        // Two children each burn one second of CPU time (not wall time, so a busy machine does not change the
        // answer) and exit between samples; the shell reaps them.
        let python = Tools.python3!
        let burn = "import time\nwhile time.process_time() < 1.0: pass"
        let script = "'\(python)' -c '\(burn)' & '\(python)' -c '\(burn)' & wait"
        let usage = try await measure(LaunchCommand(name: "burner", executable: "sh", arguments: ["-c", script]))
        print(
            "busy tree: \(usage.cpuSeconds) CPU-s (user \(usage.cpuUserSeconds), system \(usage.cpuSystemSeconds)) over \(usage.wallSeconds) s, \(usage.samples) samples, \(usage.cores) cores"
        )
        #expect(abs(usage.cpuSeconds - 2.0) <= 0.2, "measured \(usage.cpuSeconds) CPU-s")
        #expect(usage.samples >= 2)
    }

    @Test func peakMemoryOfA200MBAllocationIsSeen() async throws {
        let script = "b = bytearray(200*1024*1024); import time; time.sleep(1.5)"
        let usage = try await measure(
            LaunchCommand(name: "allocator", executable: Tools.python3!, arguments: ["-c", script]))
        let peakMB = Double(usage.peakRSSBytes) / 1_048_576
        print(
            "200 MB allocation: peak \(peakMB) MiB, average \(Double(usage.averageRSSBytes) / 1_048_576) MiB, \(usage.memoryGiBSeconds) GiB-s over \(usage.wallSeconds) s"
        )
        #expect((190...260).contains(peakMB), "peak \(peakMB) MiB")
        // Held for 1.5 s of the run: at least 200 MiB × 1.2 s.
        #expect(usage.memoryGiBSeconds >= 0.2 * 1.2 / 1.024)
        #expect(usage.averageRSSBytes <= usage.peakRSSBytes)
    }

    @Test func memoryForkedChildrenShareIsCountedOnce() async throws {
        // The parent writes 64 MiB, then forks three children that only read it: copy-on-write keeps one copy,
        // which `ps` shows in each of the four processes.
        let script = """
            import os, time
            b = bytearray(64 << 20)
            for i in range(0, len(b), 4096): b[i] = 1
            for _ in range(3):
                if os.fork() == 0:
                    print("child read", sum(b[::4096]), flush=True)
                    time.sleep(60)
                    os._exit(0)
            time.sleep(60)
            """
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(
            LaunchCommand(name: "sharer", executable: Tools.python3!, arguments: ["-c", script]))
        let ready = await ProcessCheck.eventually(within: .seconds(30)) {
            child.logTail().components(separatedBy: "child read").count == 4
        }
        let tree = [child.pid] + ProcessTree.descendants(of: child.pid)
        let summedRSS = tree.compactMap { ProcFS.stat($0) }.reduce(0) { $0 + $1.residentPages * ProcFS.pageSize }

        let sampler = ResourceSampler(child, interval: .milliseconds(100))
        sampler.start()
        try await Task.sleep(for: .seconds(1))
        let usage = sampler.stop()
        await supervisor.stopAll()

        let mebibyte = 1_048_576.0
        print(
            String(
                format: "64 MiB shared by 4 processes: summed RSS %.1f MiB; tally peak %.1f MiB, average %.1f MiB",
                Double(summedRSS) / mebibyte, Double(usage.peakRSSBytes) / mebibyte,
                Double(usage.averageRSSBytes) / mebibyte))
        try #require(ready, "the children did not report: \(child.logTail())")
        #expect(tree.count == 4)
        #expect(Double(summedRSS) >= 3.5 * 64 * mebibyte, "summed RSS \(Double(summedRSS) / mebibyte) MiB")
        #expect(Double(usage.peakRSSBytes) >= 64 * mebibyte)
        #expect(Double(usage.peakRSSBytes) <= 1.5 * 64 * mebibyte)
        #expect(Double(usage.averageRSSBytes) <= 1.5 * 64 * mebibyte)
    }

    @Test func diskWritesAreCounted() async throws {
        // The sampler counts from its first sample on; the pause keeps every write after it on a busy machine.
        let usage = try await measure(
            LaunchCommand(
                name: "writer", executable: "sh",
                arguments: [
                    "-c", "sleep 0.5 && dd if=/dev/zero of=blob bs=1M count=32 conv=fsync 2>/dev/null && rm blob",
                ]
            ))
        print(
            "disk: wrote \(usage.diskWriteBytes) bytes, read \(usage.diskReadBytes); counters missing: \(usage.diskCountersMissing)"
        )
        try #require(!usage.diskCountersMissing, "/proc/PID/io is not readable here")
        #expect(usage.diskWriteBytes >= 32 * 1_048_576)
    }

    @Test func samplerOverheadOnATreeOfFiveProcesses() async throws {
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(
            LaunchCommand(
                name: "five", executable: "sh", arguments: ["-c", "sleep 60 & sleep 60 & sleep 60 & sleep 60 & wait"]))
        #expect(await ProcessCheck.eventually { ProcessTree.descendants(of: child.pid).count == 4 })

        let paced = ResourceSampler(child)
        paced.start()
        try await Task.sleep(for: .seconds(2))
        let usage = paced.stop()

        let fast = ResourceSampler(child, interval: .milliseconds(10))
        fast.start()
        try await Task.sleep(for: .seconds(1))
        let fastUsage = fast.stop()
        await supervisor.stopAll()

        let perSample = fastUsage.samplerCPUSeconds / Double(fastUsage.samples)
        let share = usage.samplerCPUSeconds / usage.wallSeconds
        print(
            String(
                format:
                    "sampler overhead, 5 processes: %.1f µs CPU per sample at 10 ms; at 250 ms, %.1f µs per sample, %.4f%% of a core (%.2f ms CPU per second, %d samples)",
                perSample * 1e6, usage.samplerCPUSeconds / Double(usage.samples) * 1e6, share * 100, share * 1e3,
                usage.samples))
        #expect(usage.samples >= 5)
        #expect(share < 0.05, "sampler used \(share * 100)% of a core")
    }

    @Test func theCurrentProcessCanBeSampled() async throws {
        let sampler = ResourceSampler(.currentProcess, interval: .milliseconds(50))
        sampler.start()
        // Burn half a second of CPU on this thread.
        let clock = ContinuousClock()
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        let begin = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        var now = begin
        var spins = 0
        let started = clock.now
        while now - begin < 0.5 && clock.now - started < .seconds(10) {
            spins &+= 1
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            now = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let usage = sampler.stop()
        print(
            "this process: \(usage.cpuSeconds) CPU-s, peak RSS \(usage.peakRSSBytes / 1_048_576) MiB, \(usage.samples) samples"
        )
        #expect(usage.cpuSeconds >= 0.4)
        #expect(usage.peakRSSBytes > 1_048_576)
        #expect(usage.samples >= 2)
    }
}
