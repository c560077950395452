import Foundation
import StackLabTestSupport

@testable import StackLabLoad
@testable import StackLabLocal

#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback connection that speaks a broker's framing (StackLabLoad's MQTT packets and AMQP frames),
/// for the broker kinds' tests: each read waits at most 10 s.
final class BrokerSocket {
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the broker closed the connection" }
    }

    private let fd: Int32
    private var unread: [UInt8] = []
    private var mqtt = MQTTPacketParser()
    private var amqp = AMQPFrameParser()

    init(port: Int) throws {
        fd = try LoopbackSocket.connect(port: port, timeout: .seconds(10))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw LoopbackSocket.Failure.errno("send") }
    }

    func send(_ packet: MQTTPacket) throws { try send(packet.encoded()) }

    func send(_ frames: AMQPFrame...) throws { try send(frames.flatMap { $0.encoded() }) }

    /// The next MQTT packet.
    func nextPacket() throws -> MQTTPacket { try next(&mqtt) }

    /// The next AMQP frame.
    func nextFrame() throws -> AMQPFrame { try next(&amqp) }

    /// The next AMQP method; a `Connection.Close` or `Channel.Close` throws as the refusal it is.
    func nextMethod() throws -> AMQPMethod {
        let frame = try nextFrame()
        guard case .method(_, let method) = frame else { throw FramingError(wireProtocol: "AMQP", message: "\(frame)") }
        switch method {
        case .connectionClose(let close): throw AMQPRefusal(close: close, connection: true)
        case .channelClose(let close): throw AMQPRefusal(close: close, connection: false)
        default: return method
        }
    }

    /// AMQP's handshake as `user`: protocol header, Start/StartOk, Tune/TuneOk, Open/OpenOk on the default
    /// virtual host. Returns the frame-max the broker tuned.
    @discardableResult
    func amqpLogin(user: String, password: String) throws -> UInt32 {
        try send(AMQPFrame.protocolHeader)
        guard case .connectionStart(0, 9, _, let mechanisms, _) = try nextMethod(), mechanisms.contains("PLAIN") else {
            throw FramingError(wireProtocol: "AMQP", message: "no Connection.Start for 0-9 with PLAIN")
        }
        try send(.method(channel: 0, .startOk(user: user, password: password)))
        guard case .connectionTune(_, let frameMax, _) = try nextMethod() else {
            throw FramingError(wireProtocol: "AMQP", message: "no Connection.Tune")
        }
        try send(
            .method(channel: 0, .connectionTuneOk(channelMax: 16, frameMax: frameMax, heartbeat: 0)),
            .method(channel: 0, .connectionOpen(virtualHost: "/")))
        guard case .connectionOpenOk = try nextMethod() else {
            throw FramingError(wireProtocol: "AMQP", message: "no Connection.OpenOk")
        }
        return frameMax
    }

    private func next<Parser: FrameParser>(_ parser: inout Parser) throws -> Parser.Frame {
        while true {
            if !unread.isEmpty {
                let step = try unread.withUnsafeBytes { try parser.parse($0, from: 0) }
                unread.removeFirst(step.consumed)
                if let frame = step.frame { return frame }
            }
            try read()
        }
    }

    private func read() throws {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw LoopbackSocket.Failure.errno("recv") }
        if count == 0 { throw Closed() }
        unread += buffer[0..<count]
    }
}

/// Processes whose environment has `HOME=<directory>`: a RabbitMQ node's, every one of which inherits it
/// (epmd, erl_child_setup and inet_gethost name nothing of the node on their command lines).
func processes(withHome directory: String) -> [(pid: Int32, name: String)] {
    let wanted = Array("HOME=\(directory)".utf8)
    return ProcessTree.all().compactMap { pid in
        guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
            environment.split(separator: 0).contains(where: { Array($0) == wanted }), ProcessTree.isRunning(pid)
        else { return nil }
        let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?"
        return (pid, name.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
