import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// A run left `running` by a stacklab process that is gone is reported aborted, not running forever.
struct AbandonedRunTests {
    /// The id of a process that has exited (and was reaped).
    func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// Stores a running run, then sets its writer columns as `update` says.
    func storeRunningRun(at path: String, id: String, update: String, arguments: StatementArguments = []) async throws {
        let store = try SQLiteResultsStore(path: path)
        var record = try RunRecordFixture.record(id: id, trials: 1, status: .running)
        record.configs = []
        try await store.beginRun(record)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE runs SET \(update) WHERE id = ?", arguments: arguments + [id])
        }
    }

    @Test func aRunWhoseWriterDiedIsAbortedWhenTheStoreIsOpened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await storeRunningRun(
            at: directory.storePath, id: "crashed", update: "writer_pid = ?, writer_start_ticks = NULL",
            arguments: [try deadProcessID()])

        let store = try SQLiteResultsStore(path: directory.storePath)
        let run = try #require(try await store.run(id: "crashed"))
        #expect(run.status == .aborted)
        #expect(run.abortReason == "the stacklab process ended without finishing the run")
        #expect(run.trials.count == 1)
        #expect(run.finishedAt == nil)
    }

    @Test func aRunWhoseWriterRunsStaysRunning() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Written by this very process, which is alive.
        try await storeRunningRun(at: directory.storePath, id: "live", update: "name = name")
        let store = try SQLiteResultsStore(path: directory.storePath)
        #expect(try await store.runs(limit: nil).map(\.status) == [.running])
    }

    @Test func aRunStartedOnAnotherBootIsAborted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await storeRunningRun(
            at: directory.storePath, id: "rebooted", update: "writer_boot_id = 'another-boot'")
        let store = try SQLiteResultsStore(path: directory.storePath)
        let listing = try #require(try await store.runs(limit: nil).first)
        #expect(WriterProcess.currentBootID == nil || listing.status == .aborted)
    }

    @Test func aReusedProcessIDDoesNotKeepARunAlive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // This process's id, but a start time it never had: another process that got the id later.
        try await storeRunningRun(
            at: directory.storePath, id: "reused", update: "writer_start_ticks = writer_start_ticks - 1")
        let store = try SQLiteResultsStore(path: directory.storePath)
        let listing = try #require(try await store.runs(limit: nil).first)
        #expect(WriterProcess.startTicks(of: getpid()) == nil || listing.status == .aborted)
    }

    @Test func listingSettlesARunWhoseWriterDiedAfterTheStoreWasOpened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await storeRunningRun(
            at: directory.storePath, id: "later", update: "writer_pid = ?, writer_start_ticks = NULL",
            arguments: [try deadProcessID()])
        #expect(try await store.runs(limit: nil).map(\.status) == [.aborted])
    }
}
