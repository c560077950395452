import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// Device-wide operation counts from /proc/diskstats.
struct BlockDeviceCountersTests {
    @Test func readsAndWritesCompletedAreFieldsFourAndEight() {
        let text = """
               7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             254       0 vda 1658969 113572 64613330 2853304 712056 702959 99694888 927597 0 290248 3864098
             254       1 vda1 12 0 96 1 34 0 272 5 0 8 6
            """
        #expect(BlockDeviceCounters.parse(text, device: "vda") == .init(reads: 1_658_969, writes: 712_056))
        #expect(BlockDeviceCounters.parse(text, device: "vda1") == .init(reads: 12, writes: 34))
        #expect(BlockDeviceCounters.parse(text, device: "sdb") == nil)
        let counters = BlockDeviceCounters(device: "vda")
        let operations = counters.operations(from: .init(reads: 10, writes: 20), to: .init(reads: 15, writes: 90))
        #expect(operations == DiskOperations(reads: 5, writes: 70, scope: .device, device: "vda"))
        #expect(operations.label == "device vda")
    }

    @Test func theDeviceOfAPathIsOneThatDiskstatsLists() throws {
        // A temporary directory on tmpfs or overlayfs has no block device, and none is claimed then.
        guard let counters = BlockDeviceCounters(holding: FileManager.default.temporaryDirectory.path) else { return }
        let first = try #require(counters.read(), "\(counters.device) is not in /proc/diskstats")
        let second = try #require(counters.read())
        #expect(second.reads >= first.reads && second.writes >= first.writes)
    }
}
