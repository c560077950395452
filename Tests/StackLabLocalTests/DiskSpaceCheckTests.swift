import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// A database scale whose tables would not fit on the disk fails before anything starts, not after filling it.
struct DiskSpaceCheckTests {
    static func spec(scale: Int) throws -> ExperimentSpec {
        try ExperimentSpec(
            yaml: """
                name: big
                workload: { protocol: postgres, scale: \(scale), rate: 10 }
                components: { db: { kind: postgres } }
                variants: { pg: [db] }
                """, file: "big.yaml")
    }

    @Test func aScaleLargerThanTheFreeDiskIsRefused() throws {
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-runs-\(UUID())")
        let free = try #require(MachineLimits.freeBytes(at: NSTemporaryDirectory()))
        // 100,000 is about 1.6 TB: more than this machine's temporary directory holds, as on any test machine.
        if free < 1_600_000_000_000 {
            let error = #expect(throws: UserError.self) {
                try LocalStack.checkDiskSpace(try Self.spec(scale: 100_000), runsDirectory: runs)
            }
            #expect(error?.message.hasPrefix("workload (tpcb, scale 100000) needs about 1600.0 GB of disk") == true)
            #expect(error?.message.hasSuffix("free; lower the scale or free some space") == true)
        }
        try LocalStack.checkDiskSpace(try Self.spec(scale: 1), runsDirectory: runs)
    }
}
