import Foundation
import Testing

@testable import StackLabLocal

struct ProcStatTests {
    @Test func fieldsAreCountedFromTheLastParenthesis() throws {
        let line =
            "4242 (a (b) c) R 17 4240 4240 0 -1 4194560 120 0 0 0 315 27 9 4 20 0 3 0 98765 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try #require(Array(line.utf8).withUnsafeBytes { ProcStat($0) })
        #expect(stat.pid == 4242)
        #expect(stat.state == UInt8(ascii: "R"))
        #expect(stat.parentPID == 17)
        #expect(stat.processGroup == 4240)
        #expect(stat.userTicks == 315)
        #expect(stat.systemTicks == 27)
        #expect(stat.waitedUserTicks == 9)
        #expect(stat.waitedSystemTicks == 4)
        #expect(stat.threads == 3)
        #expect(stat.startTime == 98765)
        #expect(stat.residentPages == 2048)
        #expect(!stat.isZombie)
    }

    @Test func thisProcessReadsBack() throws {
        let stat = try #require(ProcFS.stat(getpid()))
        #expect(stat.pid == getpid())
        #expect(stat.parentPID == getppid())
        #expect(stat.residentPages > 0)
    }
}
