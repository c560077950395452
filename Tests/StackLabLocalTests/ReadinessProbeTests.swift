import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// Probes against a real HTTP server (Python's) started under the supervisor.
@Suite(.serialized, .enabled(if: Tools.hasPython, "python3 is not installed (apt-get install python3)"))
struct ReadinessProbeTests {
    func startServer(_ supervisor: ProcessSupervisor, port: Int, directory: URL) async throws -> ChildProcess {
        try "hello\n".write(to: directory.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let command = LaunchCommand(
            name: "http-server", executable: Tools.python3!,
            arguments: ["-m", "http.server", "\(port)", "--bind", "127.0.0.1"], workingDirectory: directory.path)
        return try await supervisor.start(command, readiness: .http(port: port, path: "/"), timeout: .seconds(20))
    }

    @Test func httpProbeSucceedsAgainstARealServer() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let port = try PortAllocator().next()
        let server = try await startServer(supervisor, port: port, directory: directory)

        #expect(server.isRunning)
        #expect(ReadinessProbe.http(port: port, path: "/index.html").check() == nil)
        #expect(ReadinessProbe.http(port: port, path: "/missing").check() == "HTTP 404")
        #expect(ReadinessProbe.tcp(port: port).check() == nil)
        // The server logged the probe's request.
        let log = try String(contentsOf: server.standardErrorLog, encoding: .utf8)
        #expect(log.contains("\"GET / HTTP/1.1\" 200"), "\(log)")

        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(server.pid))
        #expect(ReadinessProbe.tcp(port: port).check()?.contains("Connection refused") == true)
    }

    @Test func httpProbeWaitsForA2xxAnswer() async throws {
        let directory = makeRunDirectory()
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let port = try PortAllocator().next()
        let server = try await startServer(supervisor, port: port, directory: directory)

        let error = await #expect(throws: UserError.self) {
            try await ReadinessProbe.http(port: port, path: "/not-there").wait(for: server, timeout: .milliseconds(500))
        }
        #expect(error?.message.contains("last attempt: HTTP 404") == true, "\(error?.message ?? "")")
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(server.pid))
    }
}

/// Probes against nothing and against something that is not HTTP; no processes.
struct ReadinessProbeOfflineTests {
    @Test func probesOfAClosedPortSayWhatTheySaw() throws {
        let port = try PortAllocator().next()
        #expect(ReadinessProbe.tcp(port: port).check()?.contains("Connection refused") == true)
        #expect(ReadinessProbe.http(port: port, path: "/").check()?.contains("Connection refused") == true)
    }

    @Test func descriptionsNameWhatIsAwaited() {
        #expect(ReadinessProbe.tcp(port: 20001).description == "a TCP connection to 127.0.0.1:20001")
        #expect(
            ReadinessProbe.http(port: 20002, path: "/health").description
                == "an HTTP 2xx/3xx answer to GET /health on 127.0.0.1:20002")
    }
}
