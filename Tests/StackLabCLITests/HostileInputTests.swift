import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Flags and files as a hostile user or an unlucky operator gives them: one line and exit 2, never a trap, a
/// spinning client, an injected byte on the wire or a device replaced by a file.
@Suite(.serialized)
struct HostileInputTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-\(UUID().uuidString)-\(name)").path
    }

    /// One line on stderr, exit 2, that says `expected`.
    func expectOneLine(_ arguments: [String], saying expected: String) throws {
        let outcome = try CommandRunner.run(arguments, timeout: 30)
        #expect(outcome.exitCode == 2, "\(arguments): \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains(expected), "\(arguments): \(outcome.stderr)")
    }

    @Test func overflowingFlagsAreOneLine() throws {
        let url = "http://127.0.0.1:1/"
        try expectOneLine(
            ["load", url, "--duration", "9223372036854775808"],
            saying: "--duration: '9223372036854775808' is too long; at most 168h")
        try expectOneLine(["load", url, "--stages", "1s:1e308"], saying: "a rate must be at most 100,000,000/s")
        try expectOneLine(["load", url, "--rate", "1e308"], saying: "--rate must be at most 100,000,000/s")
        try expectOneLine(["load", url, "--timeout", "1e300"], saying: "--timeout: '1e300' is too long")
        try expectOneLine(["run", "--duration", "9300000000"], saying: "--duration: '9300000000' is too long")
        try expectOneLine(["report", "latest", "--target-rate", "1e308"], saying: "--target-rate must be at most")
        try expectOneLine(["report", "latest", "--headroom", "1e-300"], saying: "--headroom must be from 0.01 to 1")
    }

    @Test func negativeNumbersReachTheirOwnCheck() throws {
        let url = "http://127.0.0.1:1/"
        try expectOneLine(["load", url, "--rate", "-5"], saying: "--rate must be more than 0")
        try expectOneLine(["load", url, "-r", "-5"], saying: "--rate must be more than 0")
        try expectOneLine(["load", url, "--rate=-5"], saying: "--rate must be more than 0")
        try expectOneLine(["load", url, "-c", "-3"], saying: "--connections must be at least 1")
        try expectOneLine(["load", url, "--duration", "-1s"], saying: "--duration: '-1s'")
    }

    @Test func moreConnectionsThanTheMachineAllowsFailBeforeStarting() throws {
        let limits = MachineLimits.current
        let started = Date()
        try expectOneLine(
            ["load", "http://127.0.0.1:1/", "--connections", "100000"],
            saying: "--connections 100000 is too many: \(limits.connectionsReason); at most")
        // Refused before any connect: far from the seconds a connect loop would spin.
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func headerAndMethodInjectionIsRefusedAndNothingIsSent() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let cases: [([String], String)] = [
            (["-H", "X-A: b\r\nX-Injected: 1"], "-H: the value of X-A holds a control character"),
            (["-H", "X-A: b\nX-Injected: 1"], "-H: the value of X-A holds a control character"),
            (["-H", "X-A: b\u{1B}[2Jc"], "-H: the value of X-A holds a control character"),
            (["-H", "X A: b"], "is not a header name"),
            (["-X", "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET"], "-X: 'GET /smuggled HTTP/1.1\\r\\nHost: x"),
            (["-X", "GET\n"], "is not an HTTP method"),
        ]
        for (flags, expected) in cases {
            try expectOneLine(["load", server.url + "/", "-d", "1s", "-c", "1", "-q"] + flags, saying: expected)
        }
        #expect(server.requestCount == 0, "a refused request reached the server")
        #expect(server.connectionCount == 0)
    }

    @Test func httpsAtAPlainPortSaysSoAndSuggestsHTTP() async throws {
        let nginx = try NginxServer()
        defer { nginx.stop() }
        let outcome = try CommandRunner.run(["load", "https://127.0.0.1:\(nginx.port)/json", "-d", "1s"], timeout: 30)
        #expect(outcome.exitCode == 2)
        #expect(
            outcome.stderr.contains(
                "127.0.0.1:\(nginx.port) does not speak TLS (it answered the handshake in plain text); if it serves "
                    + "plain HTTP, use http://127.0.0.1:\(nginx.port)/json"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("--insecure"))
        #expect(!outcome.stderr.contains("BoringSSL"))
    }

    @Test func outputFilesLeaveFIFOsAndSymlinksAsTheyWere() async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        let fifo = temporaryPath("series.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let reader = Task.detached { () -> String? in
            FileHandle(forReadingAtPath: fifo).map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) }
        }
        let target = temporaryPath("result.json")
        let link = temporaryPath("link.json")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        defer {
            unlink(link)
            unlink(target)
        }
        let outcome = try CommandRunner.run(
            ["load", server.url + "/", "--rate", "50", "-d", "1s", "-c", "1", "-q", "--csv", fifo, "--json", link])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(await reader.value?.hasPrefix("second,requests,rate") == true)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the symlink was replaced")
        let result = try JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: URL(fileURLWithPath: target)))
        #expect(result.requests.completed > 0)

        let directory = FileManager.default.temporaryDirectory.path
        let refused = try CommandRunner.run(
            ["load", server.url + "/", "--rate", "50", "-d", "1s", "-c", "1", "-q", "--json", directory])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("cannot write \(directory): it is a directory"), "\(refused.stderr)")
    }

    @Test func validateRefusesWhatRunRefuses() throws {
        let file = temporaryPath("refused.yaml")
        try """
        name: refused
        pricing: nowhere
        workload: { path: /json, rate: 100 }
        components:
          app: { kind: app, runtime: swift }
          front: { kind: nginx }
          back: { kind: envoy, tls: true }
        variants:
          last: [app, front]
          second: [front, back, app]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        for command in [["validate", file], ["run", file, "-q"]] {
            let outcome = try CommandRunner.run(command, timeout: 60)
            #expect(outcome.exitCode == 2, "\(command): \(outcome.stderr)")
            #expect(
                outcome.stderr.contains("\(file):2: pricing: no price catalog named 'nowhere'"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("\(file):9: variants.last: 'front' is a nginx gateway and last"))
            #expect(outcome.stderr.contains("\(file):10: variants.second: component 'back' has tls: true but is not"))
        }
    }
}
