import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a supervisor's signals do to `stacklab run`: SIGTERM and SIGHUP as Ctrl-C, SIGKILL with nothing left.
@Suite(.serialized)
struct SignalTests {
    static var postgresInstalled: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        }
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts `stacklab arguments…` with its output discarded.
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try CommandRunner.executable()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits up to `limit` seconds for `condition`; whether it held.
    func wait(upTo limit: TimeInterval, for condition: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// How many trials the one run in `store` has stored so far.
    func storedTrials(store path: String) async -> Int {
        guard FileManager.default.fileExists(atPath: path), let store = try? SQLiteResultsStore(path: path) else {
            return 0
        }
        return (try? await store.runs(limit: nil).first?.trials) ?? 0
    }

    /// Processes whose command line names a path under `directory`.
    func processes(under directory: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid -> String? in
            guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return nil
            }
            let command = String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            return command.contains(directory.path) ? "\(pid): \(command)" : nil
        }
    }

    @Test(arguments: [(SIGTERM, Int32(143), "SIGTERM"), (SIGHUP, Int32(129), "SIGHUP")])
    func terminationAndHangUpStopTheRunAsCtrlCDoes(signal: Int32, code: Int32, name: String) async throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let runs = base.appendingPathComponent("runs")
        let store = base.appendingPathComponent("store.sqlite").path
        let process = try launch([
            "run", "--duration", "2s", "--warmup", "0s", "--repeats", "1", "--runs-dir", runs.path, "-q",
            "--store", store,
        ])
        // The first trial finished and stored (app start, 2 s of load), the second under way.
        let stored = try await wait(upTo: 120) { await storedTrials(store: store) >= 1 }
        #expect(stored, "no trial was stored")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == code)
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .aborted)
        #expect(record.abortReason == "interrupted (\(name))")
        #expect(record.trials.count >= 1 && record.trials.count < 4)
        #expect(record.trials.allSatisfy { $0.load.requests.completed > 0 })
        #expect(processes(under: runs).isEmpty)
    }

    /// A second signal does not wait for the components: it exits at once, and the watchdog kills them.
    @Test func aSecondSignalExitsAtOnceAndLeavesNothing() async throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let runs = base.appendingPathComponent("runs")
        let store = base.appendingPathComponent("store.sqlite").path
        let process = try launch([
            "run", "--duration", "30s", "--warmup", "0s", "--repeats", "1", "--runs-dir", runs.path, "-q",
            "--store", store,
        ])
        // The app, not stacklab itself (whose command line names the runs directory too).
        let started = try await wait(upTo: 120) {
            processes(under: runs).contains { !$0.hasPrefix("\(process.processIdentifier):") }
        }
        #expect(started, "the app did not start")
        kill(process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143)
        let gone = try await wait(upTo: 10) { processes(under: runs).isEmpty }
        #expect(gone, "\(processes(under: runs))")
    }

    /// SIGKILL during a PostgreSQL data load: the backend doing the INSERTs called setsid, so killing the
    /// process groups missed it and it ran on, filling the disk. Now every process of the run dies within
    /// seconds and the cluster's directory in /tmp goes with them.
    @Test(.enabled(if: postgresInstalled, "needs PostgreSQL (apt-get install postgresql)"))
    func sigkillDuringADataLoadLeavesNoProcessAndNoCluster() async throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("load.yaml")
        try """
        name: big-load
        workload: { protocol: postgres, transaction: tpcb, scale: 100, rates: [50], connections: 2, threads: 1,
                    duration: 5s }
        components:
          db: { kind: postgres, resources: { memory: 256Mi } }
        variants:
          pg: [db]
        """.write(to: file, atomically: true, encoding: .utf8)
        let runs = base.appendingPathComponent("runs")
        let process = try launch([
            "run", file.path, "--runs-dir", runs.path, "-q", "--store", base.appendingPathComponent("s.sqlite").path,
        ])
        let pid = process.processIdentifier
        // A backend of the load engine's connection: "postgres: postgres postgres 127.0.0.1(…) INSERT".
        var tree: [Int32] = []
        let loading = try await wait(upTo: 180) {
            tree = ProcessTree.descendants(of: pid)
            return tree.contains { ProcessTree.commandLine($0).hasPrefix("postgres: postgres postgres 127.0.0.1") }
        }
        #expect(loading, "no backend started loading: \(tree.map(ProcessTree.commandLine))")
        try await Task.sleep(for: .seconds(1))
        let doomed = ProcessTree.descendants(of: pid).map { ($0, ProcessTree.startTime($0)) }
        kill(pid, SIGKILL)
        process.waitUntilExit()
        let survivors = { doomed.filter { ProcessTree.isAlive($0.0, startTime: $0.1) } }
        let allGone = try await wait(upTo: 10) { survivors().isEmpty }
        #expect(allGone, "left running: \(survivors().map { ProcessTree.commandLine($0.0) })")
        let clusters = { () -> [String] in
            ((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? [])
                .filter { $0.hasPrefix("stacklab-postgres-\(pid).") }
        }
        let removed = try await wait(upTo: 10) { clusters().isEmpty }
        #expect(removed, "left in \(NSTemporaryDirectory()): \(clusters())")
    }
}

/// The process table, read from /proc.
enum ProcessTree {
    static func stat(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// Field 22 of /proc/PID/stat (clock ticks since boot), so a reused pid is not taken for the process.
    static func startTime(_ pid: Int32) -> Int {
        stat(pid).flatMap { $0.count > 19 ? Int($0[19]) : nil } ?? -1
    }

    static func isAlive(_ pid: Int32, startTime: Int) -> Bool {
        guard let fields = stat(pid), fields.count > 19 else { return false }
        return fields[0] != "Z" && Int(fields[19]) == startTime
    }

    static func commandLine(_ pid: Int32) -> String {
        let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            if let pid = Int32(entry), let fields = stat(pid), fields.count > 1, let parent = Int32(fields[1]) {
                parents[pid] = parent
            }
        }
        var found: [Int32] = []
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let next = parents.filter { frontier.contains($0.value) }.map(\.key)
            found += next
            frontier = Set(next)
        }
        return found
    }
}
