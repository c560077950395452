import Foundation
import StackLabTestSupport
import Testing

/// `stacklab verify URL` as a user runs it: a table of rules, and the exit code.
@Suite(.serialized)
struct VerifyCommandTests {
    @Test func aServerWithTheWrongBodiesGetsATableOfFailuresAndExit1() async throws {
        let server = try TestServer()
        let outcome = try CommandRunner.run(["verify", server.url, "--no-database", "--date-interval", "1.1"])
        try await server.shutdown()
        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("  GET /plaintext ") == true && lines.first?.hasSuffix("  ok") == true, "\(lines)")
        let json = try #require(lines.first { $0.hasPrefix("  GET /json ") })
        #expect(json.contains("  FAIL  expected 200"), "\(json)")
        // The verdicts line up in one column.
        let columns = Set(
            lines.dropLast().map { line -> Int in
                if let fail = line.range(of: "  FAIL  ") {
                    return line.distance(from: line.startIndex, to: fail.lowerBound)
                }
                return line.count - "  ok".count
            })
        #expect(columns.count == 1, "\(lines)")
        #expect(lines.last?.hasSuffix("failed") == true)
        #expect(!lines.last!.hasSuffix(" 0 failed"))
    }

    @Test func urlsOffThisMachineOrWithAPathAreRefused() throws {
        let remote = try CommandRunner.run(["verify", "http://example.com:8080"])
        #expect(remote.exitCode == 2)
        #expect(remote.stderr.contains("verify checks apps on this machine only"), "\(remote.stderr)")
        let withPath = try CommandRunner.run(["verify", "http://127.0.0.1:8080/json"])
        #expect(withPath.exitCode == 2)
        #expect(withPath.stderr.contains("without a path"), "\(withPath.stderr)")
    }
}
