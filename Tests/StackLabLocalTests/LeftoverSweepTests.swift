import Foundation
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// What a killed stacklab left in /tmp is removed at the next start, and only that.
struct LeftoverSweepTests {
    @Test func clustersOfDeadOwnersAreRemovedAndLiveOnesKept() throws {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory())
        let me = getpid()
        let start = try #require(ProcFS.stat(me)?.startTime)
        // The same pid with another start time: a process that died and whose pid was reused (by this one).
        let dead = temporary.appendingPathComponent(
            "stacklab-postgres-\(me).\(start + 1)-\(UUID().uuidString.prefix(6))")
        let live = temporary.appendingPathComponent("stacklab-postgres-\(me).\(start)-\(UUID().uuidString.prefix(6))")
        let unnamed = temporary.appendingPathComponent("stacklab-postgres-\(UUID().uuidString.prefix(6))")
        for directory in [dead, live, unnamed] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        }
        defer { for directory in [dead, live, unnamed] { try? FileManager.default.removeItem(at: directory) } }
        LeftoverSweep.run()
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: unnamed.path))
    }
}
