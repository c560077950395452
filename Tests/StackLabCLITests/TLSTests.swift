import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab load` against a real nginx terminating TLS with a self-signed certificate.
@Suite(
    .serialized,
    .enabled(
        if: NginxServer.isInstalled && NginxServer.opensslInstalled,
        "needs nginx and openssl (scripts/test.sh installs them)")
)
struct TLSTests {
    func load(_ arguments: [String]) throws -> (CommandRunner.Outcome, LoadResult?) {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-tls-\(UUID().uuidString).json")
        let outcome = try CommandRunner.run(["load"] + arguments + ["-q", "--json", json.path])
        let result = try? JSONDecoder().decode(LoadResult.self, from: Data(contentsOf: json))
        return (outcome, result)
    }

    @Test func keepAliveAndNewConnectionPerRequestOverTLS() throws {
        let nginx = try NginxServer(tls: true)
        defer { nginx.stop() }
        let url = "https://localhost:\(nginx.port)/"
        let (steady, steadyResult) = try load([url, "--insecure", "--rate", "100", "-d", "1s", "-c", "2"])
        #expect(steady.exitCode == 0, "\(steady.stderr)")
        #expect(steadyResult?.requests.completed == 100 && steadyResult?.errors.total == 0)
        #expect(steadyResult?.target.tls == true)
        #expect(steady.stdout.contains("TLS"))

        let (fresh, freshResult) = try load([url, "--insecure", "--rate", "50", "-d", "1s", "--no-keepalive"])
        #expect(fresh.exitCode == 0, "\(fresh.stderr)")
        #expect(freshResult?.requests.completed == 50 && freshResult?.errors.total == 0)
        // Every request paid for a handshake, so its service time exceeds the keep-alive one.
        if let freshResult, let steadyResult {
            #expect(freshResult.serviceTime.p50 > steadyResult.serviceTime.p50)
        }
    }

    @Test func selfSignedCertificateIsRefusedWithoutInsecure() throws {
        let nginx = try NginxServer(tls: true)
        defer { nginx.stop() }
        let (outcome, _) = try load(["https://localhost:\(nginx.port)/", "--rate", "10", "-d", "1s"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("TLS handshake with localhost:\(nginx.port) failed"))
        #expect(outcome.stderr.contains("--insecure"))
    }

    @Test func plainNginxClosedLoop() throws {
        let nginx = try NginxServer()
        defer { nginx.stop() }
        let (outcome, result) = try load(["http://127.0.0.1:\(nginx.port)/", "-d", "1s", "-c", "4"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect((result?.requests.completed ?? 0) > 100)
        #expect(result?.errors.total == 0)
        #expect(result?.requests.bytesReceived ?? 0 > (result?.requests.completed ?? 0) * 12)
    }
}
