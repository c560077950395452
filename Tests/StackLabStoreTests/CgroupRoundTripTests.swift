import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// Schema v4-cgroup: a component's cgroup counters per trial read back equal; rows stored before it read back
/// without any.
struct CgroupRoundTripTests {
    static let counted = CgroupUsage(
        cpuLimit: 0.5, memoryLimitBytes: 64 << 20, cpuSeconds: 2.49, cpuUserSeconds: 2.3, cpuSystemSeconds: 0.19,
        wallSeconds: 5, periods: 50, throttledPeriods: 48, throttledSeconds: 2.4, memoryPeakBytes: 41 << 20,
        oomKills: 1)

    @Test func aComponentsCgroupCountersReadBackEqual() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var record = try RunRecordFixture.record(trials: 2)
        record.trials[1].components[0].cgroup = Self.counted
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await store.beginRun(record)
        let stored = try await store.run(id: record.id)
        #expect(stored == record)
        #expect(stored?.trials[1].components[0].cgroup == Self.counted)
        #expect(stored?.trials[0].components.allSatisfy { $0.cgroup == nil } == true)
    }

    @Test func measurementsStoredBeforeV4ReadBackWithoutCgroupCounters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let record = try RunRecordFixture.record(trials: 2)
        // The rows today's store writes, copied into a store at v3-ingestion without the column v4 adds.
        try await SQLiteResultsStore(path: scratch.storePath).beginRun(record)
        let old = try DatabaseQueue(path: directory.storePath)
        try StoreSchema.migrator.migrate(old, upTo: "v3-ingestion")
        try await OlderStore.copyRows(from: scratch.storePath, into: old)
        #expect(
            try await old.read { try $0.columns(in: "component_measurements").contains { $0.name == "cgroup_json" } }
                == false)
        try old.close()

        let stored = try #require(try await SQLiteResultsStore(path: directory.storePath).run(id: record.id))
        #expect(stored.trials.count == 2)
        #expect(stored.trials.allSatisfy { $0.components.allSatisfy { $0.cgroup == nil } })
        #expect(stored.trials.map(\.components) == record.trials.map(\.components))
    }
}
