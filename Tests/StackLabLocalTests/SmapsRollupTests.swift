import Foundation
import Testing

@testable import StackLabLocal

struct SmapsRollupTests {
    func parse(_ text: String) -> SmapsRollup? {
        Array(text.utf8).withUnsafeBytes { SmapsRollup($0) }
    }

    @Test func theProportionalSizeIsThePssLineInKibibytes() throws {
        let text = """
            55d0c0a0e000-7ffd2b1fe000 ---p 00000000 00:00 0                          [rollup]
            Rss:                1608 kB
            Pss_Anon:            112 kB
            Pss:                 292 kB
            Pss_Dirty:           112 kB
            Pss_File:            180 kB
            Shared_Clean:       1452 kB
            Private_Dirty:       112 kB
            Swap:                  0 kB
            SwapPss:               0 kB

            """
        let rollup = try #require(parse(text))
        #expect(rollup.proportionalBytes == 292 * 1024)
    }

    @Test func textWithoutAPssLineIsRejected() {
        #expect(parse("Rss:                1608 kB\nPss_Anon:            112 kB\n") == nil)
        #expect(parse("Pss:                 kB\n") == nil)
        #expect(parse("") == nil)
    }

    @Test func thisProcessReadsBack() throws {
        let rollup = try #require(ProcFS.smapsRollup(getpid()), "/proc/self/smaps_rollup is not readable here")
        let stat = try #require(ProcFS.stat(getpid()))
        #expect(rollup.proportionalBytes > 0)
        // Shared pages count only in part, so PSS never exceeds RSS (by more than a page of rounding).
        #expect(rollup.proportionalBytes <= stat.residentPages * ProcFS.pageSize + 4096)
    }

    @Test func aProcessThatIsGoneHasNone() {
        // Above the kernel's pid_max (at most 2^22), so never a live process.
        #expect(ProcFS.smapsRollup(Int32(1 << 23)) == nil)
    }
}
