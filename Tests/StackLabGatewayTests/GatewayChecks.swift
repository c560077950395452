import Foundation
import StackLabCore
import StackLabLoad
import StackLabLocal
import StackLabRunner
import StackLabTestSupport
import Testing

/// What every gateway recipe must do, checked against the real gateway and a real upstream; each gateway's
/// suite runs these.
enum GatewayChecks {
    /// GET and POST pass through with status, body and headers intact, request headers reach the upstream, an
    /// upstream status passes back, and upstream connections are reused (the keep-alive pool).
    static func proxiesGetAndPost(_ kind: ComponentKind) async throws {
        let upstream = try TestServer()
        let gateway = try await RunningGateway.start(kind, upstreamPort: upstream.port)

        let get = try await HTTPExchange.send(
            port: gateway.port, path: "/hello?x=1", headers: [("X-StackLab-Test", "42")])
        #expect(get.status == 200)
        #expect(get.body == "Hello, World!")
        #expect(get.header("Content-Type") == "text/plain")
        #expect(get.header("Content-Length") == "13" || get.header("Transfer-Encoding") == "chunked")
        let head = try #require(upstream.lastRequestHead(path: "/hello?x=1"))
        #expect(head.lowercased().contains("x-stacklab-test: 42"), "upstream saw: \(head)")
        #expect(head.hasPrefix("GET /hello?x=1 HTTP/1.1"), "upstream saw: \(head)")

        let body = "ping-pong " + String(repeating: "x", count: 2000)
        let post = try await HTTPExchange.send(
            port: gateway.port, method: "POST", path: "/echo", headers: [("Content-Type", "text/plain")], body: body)
        #expect(post.status == 200)
        #expect(post.body == body)
        #expect(upstream.lastRequestHead(path: "/echo")?.hasPrefix("POST /echo HTTP/1.1") == true)

        upstream.set(.status(404))
        let missing = try await HTTPExchange.send(port: gateway.port, path: "/missing")
        #expect(missing.status == 404)
        #expect(missing.body == "status 404")
        upstream.set(.ok)

        // Ten clients, one after another, each on its own connection: the gateway reuses its upstream connection.
        let before = upstream.connectionCount
        for _ in 0..<10 {
            #expect(try await HTTPExchange.send(port: gateway.port, path: "/again").status == 200)
        }
        #expect(upstream.connectionCount - before <= 2, "upstream connections opened: \(upstream.connectionCount)")

        await gateway.stopLeavingNothing()
        try await upstream.shutdown()
    }

    /// `tls: true`: the gateway serves TLS with the certificate StackLab made for the run, valid for 127.0.0.1,
    /// and the load engine drives it over https as a run does.
    static func terminatesTLS(_ kind: ComponentKind, keyType: String? = nil) async throws {
        let upstream = try TestServer()
        let gateway = try await RunningGateway.start(
            kind, upstreamPort: upstream.port, tls: true, settings: keyType.map { ["tls_key": $0] } ?? [:])
        #expect(FileManager.default.fileExists(atPath: gateway.certificate))

        let get = try await HTTPExchange.send(port: gateway.port, path: "/secure", trusting: gateway.certificate)
        #expect(get.status == 200 && get.body == "Hello, World!")
        let post = try await HTTPExchange.send(
            port: gateway.port, method: "POST", path: "/secure", body: "over tls", trusting: gateway.certificate)
        #expect(post.status == 200 && post.body == "over tls")

        // The options a run's trial uses against a TLS entry: https, the run's self-signed certificate accepted.
        let workload = Workload(
            requests: [.init(path: "/json")], arrival: .constant(rate: 100), connections: 4,
            durationNanoseconds: 1_000_000_000)
        #expect(gateway.plan.endpoint == ComponentEndpoint(port: gateway.port, wireProtocol: .http, tls: true))
        let options = try LoadOptions.trial(workload, entry: gateway.plan.endpoint, rate: nil, threads: 1)
        let result = try await LoadEngine(options: options).run().result
        #expect(result.target.tls)
        #expect(result.requests.completed == 100)
        #expect(result.errors.total == 0, "errors: \(result.errors), statuses: \(result.statusCodes)")

        await gateway.stopLeavingNothing()
        try await upstream.shutdown()
    }

    /// With nothing listening upstream, the gateway answers 502 or 503 at once, which the load engine counts as
    /// 5xx: not a hang, not a timeout.
    static func upstreamDownIs5xx(_ kind: ComponentKind) async throws {
        let deadPort = try PortAllocator().next()
        let gateway = try await RunningGateway.start(kind, upstreamPort: deadPort)

        let reply = try await HTTPExchange.send(port: gateway.port, path: "/json")
        #expect([502, 503].contains(reply.status), "status \(reply.status)")

        var options = LoadOptions(target: try TargetURL(parsing: "http://127.0.0.1:\(gateway.port)/json"))
        options.connections = 2
        options.threads = 1
        options.timeoutNanoseconds = 3_000_000_000
        options.durationNanoseconds = 1_000_000_000
        options.arrival = .openLoop(.constant(rate: 20, nanoseconds: options.durationNanoseconds))
        let result = try await LoadEngine(options: options).run().result
        #expect(result.requests.completed == 20)
        #expect(result.errors.status5xx == 20, "errors: \(result.errors), statuses: \(result.statusCodes)")
        #expect(result.errors.timeout == 0)

        await gateway.stopLeavingNothing()
    }

    /// `access_log: true` writes a line per request (HAProxy to its standard output log).
    static func logsAccessWhenAsked(_ kind: ComponentKind) async throws {
        let upstream = try TestServer()
        let gateway = try await RunningGateway.start(
            kind, upstreamPort: upstream.port, settings: ["access_log": "true"])
        #expect(try await HTTPExchange.send(port: gateway.port, path: "/logged-path").status == 200)
        let log =
            kind == .haproxy
            ? gateway.child.standardOutputLog : gateway.directory.appendingPathComponent("access.log")
        var text = ""
        for _ in 0..<100 {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.contains("/logged-path") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(text.contains("/logged-path"), "\(log.path): \(text)")
        await gateway.stopLeavingNothing()
        try await upstream.shutdown()
    }
}

/// Every registered gateway kind through the checks above: a new gateway is checked by being registered. One
/// that is not installed fails with the command that installs it (scripts/test.sh installs them all).
@Suite(.serialized)
struct GatewayKindTests {
    @Test(arguments: Gateways.kinds)
    func proxiesGetAndPost(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        try await GatewayChecks.proxiesGetAndPost(kind)
    }

    @Test(.enabled(if: Gateways.opensslInstalled, "needs openssl"), arguments: Gateways.kinds)
    func terminatesTLS(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        try await GatewayChecks.terminatesTLS(kind)
    }

    /// The gateways whose RSA key path differs from their ECDSA one.
    @Test(.enabled(if: Gateways.opensslInstalled, "needs openssl"), arguments: [ComponentKind.nginx, .envoy])
    func terminatesTLSWithRSA(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        try await GatewayChecks.terminatesTLS(kind, keyType: "rsa2048")
    }

    @Test(arguments: Gateways.kinds)
    func upstreamDownIs5xx(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        try await GatewayChecks.upstreamDownIs5xx(kind)
    }

    @Test(arguments: Gateways.kinds)
    func logsAccessWhenAsked(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        try await GatewayChecks.logsAccessWhenAsked(kind)
    }
}
