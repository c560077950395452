import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab runs`, `show` and `delete` over a store filled as runs would fill it.
struct StoreCommandTests {
    /// A store holding two runs of the fixture experiment, and its directory.
    func filledStore() async throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-store-cli-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("stacklab.sqlite").path
        let store = try SQLiteResultsStore(path: path)
        try await store.beginRun(
            RunRecordFixture.record(id: "20261128-090000-gateways", startedAt: "2026-11-28T09:00:00Z", trials: 2))
        try await store.beginRun(
            RunRecordFixture.record(
                id: "20261129-101500-gateways", startedAt: "2026-11-29T10:15:00Z", trials: 4, status: .aborted))
        return (path, directory)
    }

    @Test func runsListsNewestFirstInLinedUpColumns() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CommandRunner.run(["runs", "--store", store])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("id "))
        #expect(lines[1].hasPrefix("20261129-101500-gateways  gateways    aborted    "))
        #expect(lines[2].hasPrefix("20261128-090000-gateways  gateways    completed  "))
        #expect(lines[1].contains("1m 12s") && lines[1].hasSuffix(" 2       4"))
        #expect(lines[2].contains("25h 16m") && lines[2].hasSuffix(" 2       2"))
        // Columns line up: the experiment and the trials column start and end at the same offsets on every line.
        func offset(_ word: String, in line: String) -> Int? { line.range(of: word)?.lowerBound.utf16Offset(in: line) }
        #expect(offset(" experiment", in: lines[0]) == offset(" gateways ", in: lines[1]))
        #expect(offset(" experiment", in: lines[0]) == offset(" gateways ", in: lines[2]))
        #expect(offset(" trials", in: lines[0]) != nil)
        #expect(Set(lines.map(\.count)).count == 1)

        let limited = try CommandRunner.run(["runs", "--store", store, "--limit", "1"])
        #expect(limited.stdout.contains("20261129-101500-gateways") && !limited.stdout.contains("20261128"))
        #expect(limited.stdout.contains("1 of 2 runs shown"))
    }

    @Test func runsOnAnEmptyOrMissingStoreSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).sqlite")
        let outcome = try CommandRunner.run(["runs", "--store", path.path])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.contains("no runs stored yet"))
        #expect(!FileManager.default.fileExists(atPath: path.path))
    }

    @Test func showPrintsTheRunByPrefixOrLatest() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        for reference in ["latest", "20261129", "20261129-101500-gateways"] {
            let outcome = try CommandRunner.run(["show", reference, "--store", store])
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
            #expect(
                outcome.stdout.hasPrefix("stacklab run gateways · aborted · 4 trials · run 20261129-101500-gateways\n"))
            #expect(outcome.stdout.contains("  started 2026-11-29 "))
            #expect(outcome.stdout.contains("  stacklab 0.1.0; components: app 0.1.0, nginx 1.22.1\n"))
            #expect(outcome.stdout.contains("aborted: interrupted (Ctrl-C)"))
            #expect(outcome.stdout.contains("Test CPU @ 2.0GHz · 2 cores"))
            #expect(outcome.stdout.contains("variant nginx: nginx → app"))
            // Two trials per variant: no interval, the range of the two.
            #expect(outcome.stdout.contains("p99 (range)"))
            #expect(outcome.stdout.contains("n=2: range only"))
            #expect(outcome.stdout.contains("generator"))
            #expect(outcome.stdout.contains("configs: nginx/nginx/nginx.conf"))
        }
    }

    @Test func showPrintsAStoredConfig() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CommandRunner.run(["show", "latest", "--config", "nginx", "--store", store])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "worker_processes 1;\nevents {}\nhttp { server { listen 127.0.0.1:18080; } }\n\n")
        let withVariant = try CommandRunner.run(
            ["show", "latest", "--config", "nginx", "--variant", "nginx", "--store", store])
        #expect(withVariant.stdout == outcome.stdout)

        let missing = try CommandRunner.run(["show", "latest", "--config", "app", "--store", store])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("no rendered config for component 'app'"))
        let badVariant = try CommandRunner.run(
            ["show", "latest", "--config", "nginx", "--variant", "direct", "--store", store])
        #expect(badVariant.exitCode == 2)
        #expect(badVariant.stderr.contains("no config in variant 'direct'"))
    }

    @Test func showOfAnUnknownOrAmbiguousRunIsOneLine() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = try CommandRunner.run(["show", "nope", "--store", store])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        #expect(unknown.stderr.contains("no run 'nope'"))
        let ambiguous = try CommandRunner.run(["show", "2026112", "--store", store])
        #expect(ambiguous.exitCode == 2)
        #expect(ambiguous.stderr.contains("matches 2 runs"))
    }

    @Test func deleteRemovesTheRunAndSaysWhat() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = directory.appendingPathComponent("runs/20261128-090000-gateways")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        let outcome = try CommandRunner.run(
            ["delete", "20261128", "--store", store, "--runs-dir", directory.appendingPathComponent("runs").path])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(
            outcome.stdout
                == "deleted run 20261128-090000-gateways (gateways, completed, 2 trials) and its logs in \(logs.path)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: logs.path))
        let remaining = try await SQLiteResultsStore(path: store).runs(limit: nil)
        #expect(remaining.map(\.id) == ["20261129-101500-gateways"])
    }

    /// An empty STACKLAB_HOME means ~/.stacklab, for the runs directory as for the store: `run` and `delete` took it
    /// as the current directory, so `delete` removed `./runs/ID` of whatever project it was run in.
    @Test func anEmptyStackLabHomeIsNotTheCurrentDirectory() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let current = directory.appendingPathComponent("project")
        let foreign = current.appendingPathComponent("runs/20261128-090000-gateways")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = try CommandRunner.executable()
        process.arguments = ["delete", "20261128", "--store", store]
        process.environment = ProcessInfo.processInfo.environment.merging(["STACKLAB_HOME": ""]) { $1 }
        process.currentDirectoryURL = current
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed == "deleted run 20261128-090000-gateways (gateways, completed, 2 trials)\n")
        #expect(FileManager.default.fileExists(atPath: foreign.path), "a directory outside STACKLAB_HOME was removed")
    }

    @Test func deleteRefusesARunThatIsStillRunning() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Written by this test process, which is alive: the run is still being written.
        try await SQLiteResultsStore(path: store).beginRun(
            RunRecordFixture.record(
                id: "20261130-080000-gateways", startedAt: "2026-11-30T08:00:00Z", trials: 1, status: .running))
        let outcome = try CommandRunner.run(["delete", "latest", "--store", store])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("run 20261130-080000-gateways is still running"))
        let listed = try CommandRunner.run(["runs", "--store", store])
        #expect(listed.stdout.contains("running"))
    }

    @Test func deleteOfAnUnknownRunDeletesNothing() async throws {
        let (store, directory) = try await filledStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CommandRunner.run(["delete", "20261128-090000-gateways", "nope", "--store", store])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stderr.contains("no run 'nope'"))
        #expect(try await SQLiteResultsStore(path: store).runs(limit: nil).count == 2)
    }
}
