import Testing

@testable import StackLabLocal

/// The accounting, with made-up samples: what counts when processes come and go between samples.
struct ResourceTallyTests {
    /// A stat line for pid `pid` whose parent is `parent`.
    func process(
        _ pid: Int32, parent: Int32, user: Int = 0, system: Int = 0, waitedUser: Int = 0, waitedSystem: Int = 0,
        started: Int = 1, pages: Int = 0, state: String = "S"
    ) -> ProcStat {
        let line =
            "\(pid) (p\(pid)) \(state) \(parent) \(pid) \(pid) 0 -1 0 0 0 0 0 \(user) \(system) \(waitedUser) \(waitedSystem) 20 0 1 0 \(started) 1000 \(pages) 0\n"
        return Array(line.utf8).withUnsafeBytes { ProcStat($0)! }
    }

    func reading(_ stat: ProcStat, read: Int = 0, write: Int = 0, pss: Int? = nil) -> ProcessReading {
        ProcessReading(stat: stat, disk: DiskBytes(read: read, write: write), proportionalBytes: pss)
    }

    @Test func aChildsCPUAfterItsLastSampleIsCountedThroughItsParent() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(10, parent: 1)), reading(process(11, parent: 10, user: 10))], at: 0)
        tally.record([reading(process(10, parent: 1)), reading(process(11, parent: 10, user: 50))], at: 1)
        // The child ends with 80 ticks; the parent reaps it and its waited-for field shows them.
        tally.record([reading(process(10, parent: 1, waitedUser: 80))], at: 2)
        // 10 ticks before the first sample do not count: 80 - 10.
        #expect(tally.userTicks == 70)
    }

    @Test func aChildNoOneInTheTreeReapsKeepsItsLastSeenCPU() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(20, parent: 1, user: 5, system: 1))], at: 0)
        tally.record([reading(process(20, parent: 1, user: 45, system: 11))], at: 1)
        tally.record([], at: 2)
        #expect(tally.userTicks == 40)
        #expect(tally.systemTicks == 10)
    }

    @Test func childrenReapedByTheKernelAreNotCountedTwiceOrNegatively() {
        // A parent ignoring SIGCHLD: its waited-for fields never grow.
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(30, parent: 1))], at: 0)
        tally.record([reading(process(30, parent: 1, user: 3)), reading(process(31, parent: 30, user: 40))], at: 1)
        tally.record([reading(process(30, parent: 1, user: 6))], at: 2)
        #expect(tally.userTicks == 46)
    }

    @Test func childrenBornAndReapedBetweenSamplesAreCounted() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(40, parent: 1, waitedUser: 100))], at: 0)
        tally.record([reading(process(40, parent: 1, waitedUser: 130, waitedSystem: 7))], at: 1)
        #expect(tally.userTicks == 30)
        #expect(tally.systemTicks == 7)
    }

    @Test func aChildAndGrandchildGoneTogetherAreNotCountedTwice() {
        var tally = ResourceTally(pageSize: 4096)
        let root = process(50, parent: 1)
        tally.record([reading(root)], at: 0)
        tally.record(
            [reading(root), reading(process(51, parent: 50, user: 10)), reading(process(52, parent: 51, user: 20))],
            at: 1)
        // 52 ended at 25 ticks and was reaped by 51, which ended at 12 and was reaped by the root.
        tally.record([reading(process(50, parent: 1, waitedUser: 37))], at: 2)
        #expect(tally.userTicks == 37)
    }

    @Test func aReusedPidIsANewProcess() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(60, parent: 1, user: 100, started: 5))], at: 0)
        tally.record([reading(process(60, parent: 1, user: 7, started: 900))], at: 1)
        #expect(tally.userTicks == 7)
    }

    @Test func memoryIsIntegratedOverTimeAndItsPeakKept() {
        var tally = ResourceTally(pageSize: 4096)
        let mebibyte = 256  // pages
        tally.record(
            [reading(process(70, parent: 1, pages: mebibyte)), reading(process(71, parent: 70, pages: mebibyte))], at: 0
        )
        tally.record(
            [reading(process(70, parent: 1, pages: mebibyte)), reading(process(71, parent: 70, pages: mebibyte))], at: 1
        )
        tally.record([reading(process(70, parent: 1, pages: 3 * mebibyte))], at: 2)
        let usage = tally.usage(ticksPerSecond: 100)
        #expect(usage.peakRSSBytes == 3 * 1_048_576)
        // 2 MiB for a second, then from 2 to 3 MiB over a second: 4.5 MiB-s.
        #expect(abs(usage.memoryGiBSeconds - 4.5 / 1024) < 1e-9)
        #expect(usage.averageRSSBytes == Int(4.5 * 1_048_576 / 2))
        #expect(usage.wallSeconds == 2)
        #expect(usage.samples == 3)
    }

    @Test func diskBytesOfAReapedChildAreNotCountedTwice() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(80, parent: 1), write: 1000)], at: 0)
        tally.record(
            [reading(process(80, parent: 1), write: 1000), reading(process(81, parent: 80), write: 500)], at: 1)
        // The child wrote 200 more before it ended; its 700 bytes join the parent's counter when reaped.
        tally.record([reading(process(80, parent: 1), write: 1700)], at: 2)
        #expect(tally.diskWrite == 700)
        #expect(!tally.diskCountersMissing)
    }

    @Test func unreadableDiskCountersAreFlagged() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([ProcessReading(stat: process(90, parent: 1), disk: nil)], at: 0)
        #expect(tally.diskCountersMissing)
        #expect(tally.usage().diskWriteBytes == 0)
    }

    @Test func aSingleProcessDoesNotCountTheChildrenItReaps() {
        // The load generator sampling itself: components it reaps are not its own use.
        var tally = ResourceTally(includesReapedChildren: false, pageSize: 4096)
        tally.record([reading(process(100, parent: 1, user: 50))], at: 0)
        tally.record([reading(process(100, parent: 1, user: 70, waitedUser: 500))], at: 1)
        #expect(tally.userTicks == 20)
    }

    @Test func cpuSecondsAndCoresFollowTheClockTick() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(110, parent: 1))], at: 0)
        tally.record([reading(process(110, parent: 1, user: 150, system: 50))], at: 2)
        let usage = tally.usage(ticksPerSecond: 100)
        #expect(usage.cpuUserSeconds == 1.5)
        #expect(usage.cpuSystemSeconds == 0.5)
        #expect(usage.cores == 1.0)
    }

    @Test func aTreeOfSeveralProcessesIsMeasuredByTheirProportionalSizes() {
        // Three processes of 64 MiB resident each, sharing 60 MiB: PSS 24 MiB each.
        var tally = ResourceTally(pageSize: 4096)
        let pages = 64 * 256
        let pss = 24 * 1_048_576
        let tree = [
            reading(process(90, parent: 1, pages: pages), pss: pss),
            reading(process(91, parent: 90, pages: pages), pss: pss),
            reading(process(92, parent: 90, pages: pages), pss: pss),
        ]
        tally.record(tree, at: 0)
        tally.record(tree, at: 2)
        let usage = tally.usage()
        #expect(usage.peakRSSBytes == 72 * 1_048_576)
        #expect(usage.averageRSSBytes == 72 * 1_048_576)
        #expect(usage.memoryGiBSeconds == 72.0 / 1024 * 2)
    }

    @Test func aProcessWhosePSSIsUnreadableCountsItsRSS() {
        var tally = ResourceTally(pageSize: 4096)
        tally.record(
            [
                reading(process(100, parent: 1, pages: 512), pss: 1_048_576),
                reading(process(101, parent: 100, pages: 768)),
            ],
            at: 0)
        #expect(tally.usage().peakRSSBytes == 1_048_576 + 3 * 1_048_576)
    }

    @Test func aProcessGoneBeforeItsPSSWasReadCountsItsPreviousPSS() {
        // Backends that exit as the load's connections close: stat still read, smaps_rollup already gone. Their
        // RSS, each with the shared buffers in it, would triple the peak.
        var tally = ResourceTally(pageSize: 4096)
        let pages = 64 * 256
        let pss = 24 * 1_048_576
        tally.record(
            [
                reading(process(120, parent: 1, pages: pages), pss: pss),
                reading(process(121, parent: 120, pages: pages), pss: pss),
                reading(process(122, parent: 120, pages: pages), pss: pss),
            ], at: 0)
        tally.record(
            [
                reading(process(120, parent: 1, pages: pages), pss: pss),
                reading(process(121, parent: 120, pages: pages)),
                reading(process(122, parent: 120, pages: pages)),
            ], at: 1)
        #expect(tally.usage().peakRSSBytes == 72 * 1_048_576)
    }

    @Test func aPSSNotReadThisSampleIsScaledByTheRSSChange() {
        // The second process's PSS is not re-read while its RSS doubles: half shared before, half after.
        var tally = ResourceTally(pageSize: 4096)
        tally.record(
            [
                reading(process(130, parent: 1, pages: 1024), pss: 4 * 1_048_576),
                reading(process(131, parent: 130, pages: 1024), pss: 2 * 1_048_576),
            ], at: 0)
        tally.record(
            [
                reading(process(130, parent: 1, pages: 1024), pss: 4 * 1_048_576),
                reading(process(131, parent: 130, pages: 2048)),
            ], at: 1)
        #expect(tally.usage().peakRSSBytes == 8 * 1_048_576)
    }

    @Test func oneLiveProcessIsMeasuredByItsRSS() {
        // Alone, or beside a zombie child that holds no memory, a process counts what `ps` shows.
        var tally = ResourceTally(pageSize: 4096)
        tally.record([reading(process(110, parent: 1, pages: 1024), pss: 1_048_576)], at: 0)
        tally.record(
            [
                reading(process(110, parent: 1, pages: 1024), pss: 1_048_576),
                reading(process(111, parent: 110, state: "Z")),
            ], at: 1)
        let usage = tally.usage()
        #expect(usage.peakRSSBytes == 4 * 1_048_576)
        #expect(usage.averageRSSBytes == 4 * 1_048_576)
    }
}
