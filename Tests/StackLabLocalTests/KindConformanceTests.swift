import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad
@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// What every registered component kind must do, run over the registry (`LocalComponents.all`): a kind is
/// tested by being registered. Each kind's example is planned (its configuration rendered), started under a
/// supervisor, waited for until ready, asked something in the protocol its endpoint says it speaks, and
/// stopped with no process of it left.
///
/// A kind that is not installed fails with the command that installs it: `scripts/test.sh` installs them all
/// (`stacklab install nginx haproxy caddy traefik envoy`; the databases come from apt).
@Suite(.serialized)
struct KindConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Where `stacklab-refapp` is built by `swift build --build-tests`.
    static let binDirectory = root.appendingPathComponent(".build/debug")

    @Test(arguments: LocalComponents.all.map(\.kind))
    func startsAnswersAndStopsCleanly(_ kind: ComponentKind) async throws {
        let registered = try #require(LocalComponents.kind(kind))
        let example = registered.example
        #expect(example.kind == kind, "the example of \(kind.rawValue) is of kind \(example.kind.rawValue)")
        let locator = ComponentLocator(binDirectory: Self.binDirectory)
        let source = registered.source(of: example)
        guard locator.executable(for: source) != nil else {
            Issue.record(
                "\(kind.rawValue) is not installed (\(source.program)); install it with: \(source.installCommand)")
            return
        }
        // A gateway forwards to the next component, and so does a node proxy outside a graph (as a TCP proxy): a
        // plain HTTP server stands behind it.
        let forwards = kind.isGateway || kind == .nodeProxy
        let upstream = forwards ? try TestServer() : nil
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory("conformance-\(kind.rawValue)"))
        let ports = PortAllocator()
        let context = LocalPlanContext(
            port: try ports.next(), upstream: upstream.map { ComponentEndpoint(port: $0.port, wireProtocol: .http) },
            binDirectory: Self.binDirectory, runDirectory: supervisor.runDirectory, ports: ports, locator: locator)
        let plan = try ComponentRecipe.plan(example, in: context)

        for file in plan.configFiles {
            let written = supervisor.runDirectory.appendingPathComponent(example.name).appendingPathComponent(
                file.fileName)
            #expect(
                (try? String(contentsOf: written, encoding: .utf8)) == file.text,
                "\(kind.rawValue): \(file.fileName) is not written as rendered")
        }
        let endpoint = plan.endpoint
        #expect(endpoint.port == plan.port)
        #expect(kind.entryProtocols.isEmpty || kind.entryProtocols.map(\.carrier).contains(endpoint.wireProtocol))

        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(120))
        do {
            try Self.expectAnswers(endpoint, kind: kind, readiness: plan.readiness)
        } catch {
            Issue.record("\(kind.rawValue): its endpoint \(endpoint.url()) did not answer: \(error)")
        }
        let forked = ProcessTree.descendants(of: child.pid)
        await supervisor.stopAll()
        let leftovers = ([child.pid] + forked).filter { ProcessTree.isRunning($0) }
        #expect(leftovers.isEmpty, "\(kind.rawValue) left processes running: \(leftovers)")
        try await upstream?.shutdown()
    }

    /// Asks `endpoint` the simplest question of its protocol and checks the answer is of that protocol.
    static func expectAnswers(
        _ endpoint: ComponentEndpoint, kind: ComponentKind, readiness: ReadinessProbe? = nil
    ) throws {
        switch endpoint.wireProtocol {
        case .http:
            // Through a gateway, the test server's answer; from an app, its health check; from any other, the
            // path its readiness probe asks.
            var path = kind.isGateway || kind == .nodeProxy ? "/" : "/health"
            if !kind.isGateway, case .http(endpoint.port, let probed) = readiness { path = probed }
            let answer = try LoopbackSocket.get(port: endpoint.port, path: path, timeout: .seconds(5))
            #expect(answer.status == 200, "\(kind.rawValue): GET answered \(answer.status)")
        case .redis:
            let reply = try exchange(endpoint.port, Array("*1\r\n$4\r\nPING\r\n".utf8), until: { $0.contains(10) })
            #expect(String(decoding: reply, as: UTF8.self) == "+PONG\r\n")
        case .postgres:
            // A startup message as the endpoint's user: the server asks for its password ('R', SCRAM).
            var body: [UInt8] = [0, 3, 0, 0]
            for (key, value) in [("user", endpoint.user ?? "postgres"), ("database", endpoint.database ?? "postgres")] {
                body += Array(key.utf8) + [0] + Array(value.utf8) + [0]
            }
            body.append(0)
            let length = UInt32(body.count + 4)
            let message = withUnsafeBytes(of: length.bigEndian, Array.init) + body
            // Ready means accepting connections (a TCP probe): a server still recovering answers 'E' ("the
            // database system is starting up") for a moment, so that answer is asked again.
            var reply = try exchange(endpoint.port, message, until: { $0.count >= 9 })
            let deadline = ContinuousClock.now + .seconds(20)
            while reply.first == UInt8(ascii: "E"), String(decoding: reply, as: UTF8.self).contains("starting up"),
                ContinuousClock.now < deadline
            {
                Thread.sleep(forTimeInterval: 0.1)
                reply = try exchange(endpoint.port, message, until: { $0.count >= 9 })
            }
            #expect(
                reply.first == UInt8(ascii: "R"),
                "\(kind.rawValue): the startup message got \(String(decoding: reply, as: UTF8.self))")
        case .mysql:
            try LoopbackSocket.mysqlGreeting(port: endpoint.port, timeout: .seconds(5))
        case .nats:
            // INFO first, then the PONG that answers a CONNECT and a PING.
            let reply = try exchange(
                endpoint.port, Array("CONNECT {\"verbose\":false}\r\nPING\r\n".utf8),
                until: { String(decoding: $0, as: UTF8.self).contains("PONG\r\n") })
            let text = String(decoding: reply, as: UTF8.self)
            #expect(text.hasPrefix("INFO {") && text.hasSuffix("PONG\r\n"), "\(kind.rawValue): \(text)")
        case .amqp:
            // The protocol header: an AMQP 0-9-1 broker answers with Connection.Start.
            let socket = try BrokerSocket(port: endpoint.port)
            try socket.send(AMQPFrame.protocolHeader)
            let frame = try socket.nextFrame()
            guard case .method(0, .connectionStart(0, 9, _, _, _)) = frame else {
                Issue.record("\(kind.rawValue): the protocol header got \(frame)")
                return
            }
        case .mqtt:
            let socket = try BrokerSocket(port: endpoint.port)
            try socket.send(.connect(.init(clientID: "stacklab-conformance")))
            #expect(try socket.nextPacket() == .connack(sessionPresent: false, returnCode: .accepted))
        default:
            Issue.record("no conformance check for protocol \(endpoint.wireProtocol.rawValue) yet; add one here")
        }
    }

    /// Sends `request` to 127.0.0.1:`port` and reads until `until` holds for what came back (at most 5 s).
    static func exchange(_ port: Int, _ request: [UInt8], until done: ([UInt8]) -> Bool) throws -> [UInt8] {
        let fd = try LoopbackSocket.connect(port: port, timeout: .seconds(5))
        defer { close(fd) }
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw LoopbackSocket.Failure.errno("send") }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(reply) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            reply += buffer[0..<count]
        }
        return reply
    }
}
