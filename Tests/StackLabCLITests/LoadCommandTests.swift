import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab load` as a user runs it: exit codes, files, and what it prints.
@Suite(.serialized)
struct LoadCommandTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-\(UUID().uuidString)-\(name)").path
    }

    @Test func passingThresholdsExitZeroAndFailingOnesExit99() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let passing = try CommandRunner.run([
            "load", server.url + "/", "--rate", "100", "-d", "1s", "-c", "2", "-q",
            "--threshold", "p99<2s", "--threshold", "error_rate<1%", "--threshold", "rate>=0.9*target",
        ])
        #expect(passing.exitCode == 0, "\(passing.stderr)")
        #expect(passing.stdout.contains("✓ passed"))

        let failing = try CommandRunner.run([
            "load", server.url + "/", "--rate", "100", "-d", "1s", "-c", "2", "-q", "--threshold", "p50<1us",
            "--threshold", "error_rate<1%",
        ])
        #expect(failing.exitCode == 99)
        #expect(failing.stdout.contains("✗ FAILED  p50<1us"))
        #expect(failing.stdout.contains("✓ passed  error_rate<1%"))
    }

    @Test func jsonDecodesIntoTheDocumentedSchema() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let json = temporaryPath("result.json")
        let csv = temporaryPath("series.csv")
        let outcome = try CommandRunner.run([
            "load", server.url + "/json", "--rate", "200", "-d", "2s", "-c", "4", "-q", "--json", json, "--csv", csv,
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let result = try JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(result.schema == LoadResult.schemaVersion)
        #expect(result.requests.completed == 400)
        #expect(result.arrival.model == "open" && result.arrival.targetRate == 200)
        #expect(result.latency.count == 400 && result.latency.p99 > 0)
        #expect(result.series.count == 2)
        #expect(result.generator.connectionsEstablished == 4)

        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "second,requests,rate,p50_us,p99_us,errors")
        #expect(rows.count == 3)
    }

    @Test func hgrmHasTheFormatsHeaderAndColumns() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let hgrm = temporaryPath("latency.hgrm")
        let outcome = try CommandRunner.run([
            "load", server.url + "/", "--rate", "200", "-d", "1s", "-q", "--hgrm", hgrm,
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = try String(contentsOfFile: hgrm, encoding: .utf8).split(separator: "\n")
        let header = try #require(lines.first).split(separator: " ", omittingEmptySubsequences: true)
        #expect(header == ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"])
        let first = try #require(lines.dropFirst().first).split(separator: " ", omittingEmptySubsequences: true)
        #expect(first.count == 4 && Double(first[0]) != nil && Double(first[1]) != nil)
        #expect(lines.contains { $0.hasPrefix("#[Max") && $0.contains("Total count    =          200") })
    }

    @Test(arguments: [
        ["load", "not-a-url"],
        ["load", "http://127.0.0.1:1/"],
        ["load", "http://127.0.0.1:1/", "--duration", "ten"],
        ["load", "http://127.0.0.1:1/", "--rate", "fast"],
        ["load", "http://127.0.0.1:1/", "--rate", "0"],
        ["load", "http://127.0.0.1:1/", "--stages", "10s"],
        ["load", "http://127.0.0.1:1/", "--connections", "0"],
        ["load", "http://127.0.0.1:1/", "--threshold", "p99"],
        ["load", "ftp://127.0.0.1/"],
        ["load"],
        ["load", "http://127.0.0.1:1/", "--no-such-flag"],
    ])
    func badInputIsOneLineAndExitTwo(arguments: [String]) throws {
        let outcome = try CommandRunner.run(arguments, timeout: 30)
        #expect(outcome.exitCode == 2)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(lines.first?.hasPrefix("stacklab: ") == true)
        #expect(outcome.stdout.isEmpty)
    }

    @Test func interruptStillPrintsAndWritesTheResult() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let json = temporaryPath("interrupted.json")
        let process = Process()
        process.executableURL = try CommandRunner.executable()
        process.arguments = ["load", server.url + "/", "--rate", "100", "-d", "60s", "-q", "--json", json]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(process.signal(SIGINT), "the load ended before the signal")
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout.contains("interrupted after"))
        let result = try JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(result.interrupted && result.requests.completed > 50)
    }

    @Test func wrkStyleShortOptions() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let outcome = try CommandRunner.run(["load", "-t1", "-c3", "-d1s", "-q", server.url + "/"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("closed loop for 1s · 3 connections · 1 thread"))
    }
}
