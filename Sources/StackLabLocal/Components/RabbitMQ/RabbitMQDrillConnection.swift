import Foundation
import StackLabCore

/// A plain blocking AMQP 0-9-1 client connection on 127.0.0.1 for RabbitMQ's durability drill (on a
/// `DrillSocket`): a PLAIN login to the default virtual host, channel 1 in confirm mode, a durable queue, persistent
/// messages published to it and fetched back with `Basic.Get`. StackLabLocal does not import the load engine's AMQP
/// codec (StackLabLoad), so the few frames the drill needs are written here; a test checks them against it. One
/// thread uses it at a time.
final class RabbitMQDrillConnection: @unchecked Sendable {
    /// A `Connection.Close` or `Channel.Close`: the broker's reply code (404 NOT_FOUND…) and text.
    struct Refusal: Error, CustomStringConvertible {
        var code: UInt16
        var text: String

        var description: String { "rabbitmq refused: \(code) \(text)" }
    }

    /// What the broker answered on the drill's channel: `Basic.Ack` (confirmed) or `Basic.Nack` (not), with the
    /// delivery tag and whether it covers every tag up to it; `Basic.GetOk`'s body; `Basic.GetEmpty`.
    enum Answer {
        case ack(UInt64, multiple: Bool)
        case nack(UInt64, multiple: Bool)
        case message([UInt8])
        case empty
        case other
    }

    private let socket: DrillSocket

    /// Logs in as `user`, opens channel 1 and puts it in confirm mode.
    ///
    /// - Parameter timeout: the longest wait for the connection and for any one read.
    init(port: Int, user: String, password: String, timeout: Duration) throws {
        socket = try DrillSocket(port: port, broker: "rabbitmq", timeout: timeout)
        try socket.send(Array("AMQP".utf8) + [0, 0, 9, 1])
        try expect(10, 10)  // Connection.Start
        try socket.send(Self.startOkFrame(user: user, password: password))
        let tune = try expect(10, 30)
        // TuneOk: the broker's channel-max and frame-max, no heartbeats (the drill's connections are never idle long).
        try socket.send(Self.method(channel: 0, 10, 31, Array(tune.prefix(6)) + [0, 0]))
        try socket.send(Self.method(channel: 0, 10, 40, [1, UInt8(ascii: "/"), 0, 0]))  // Open "/"
        try expect(10, 41)
        try socket.send(Self.method(channel: 1, 20, 10, [0]))  // Channel.Open
        try expect(20, 11)
        try socket.send(Self.method(channel: 1, 85, 10, [0]))  // Confirm.Select
        try expect(85, 11)
    }

    /// Declares `queue` durable, of `type` (`classic` or `quorum`).
    func declare(_ queue: String, type: String) throws {
        try socket.send(Self.declareFrame(queue, type: type))
        try expect(50, 11)
    }

    /// Publishes `body` persistent (delivery mode 2) to `queue` through the default exchange.
    func publish(_ body: [UInt8], to queue: String) throws {
        try socket.send(Self.publishFrames(body, to: queue))
    }

    /// Takes the next message of `queue`, acknowledged as it is handed out (`no-ack`); nil when the queue is empty.
    func get(from queue: String) throws -> [UInt8]? {
        try socket.send(Self.getFrame(queue))
        while true {
            switch try nextAnswer() {
            case .message(let body)?: return body
            case .empty?: return nil
            default: continue
            }
        }
    }

    /// The next answer; nil when none can be read before `deadline`.
    func nextAnswer(before deadline: ContinuousClock.Instant? = nil) throws -> Answer? {
        if let deadline, !socket.hasBytes(before: deadline) { return nil }
        let (classID, methodID, arguments) = try nextMethod()
        switch (classID, methodID) {
        case (60, 80): return .ack(Self.uint64(arguments), multiple: arguments.count > 8 && arguments[8] & 1 != 0)
        case (60, 120): return .nack(Self.uint64(arguments), multiple: arguments.count > 8 && arguments[8] & 1 != 0)
        case (60, 71):
            // Get-Ok: a content header (class, weight, body size, properties), then the body in frames.
            let header = try nextFrame()
            guard header.type == 2, header.payload.count >= 12 else {
                throw UserError("rabbitmq sent no content header after Basic.GetOk")
            }
            let size = Int(Self.uint64(Array(header.payload[4..<12])))
            var body: [UInt8] = []
            while body.count < size { body += try nextFrame().payload }
            return .message(body)
        case (60, 72): return .empty
        default: return .other
        }
    }

    /// The next method: its class and method ids and its arguments; a `Connection.Close` or `Channel.Close` throws
    /// as the `Refusal` it is.
    private func nextMethod() throws -> (UInt16, UInt16, [UInt8]) {
        while true {
            let frame = try nextFrame()
            guard frame.type == 1, frame.payload.count >= 4 else { continue }
            let payload = frame.payload
            let ids = (UInt16(payload[0]) << 8 | UInt16(payload[1]), UInt16(payload[2]) << 8 | UInt16(payload[3]))
            let arguments = Array(payload[4...])
            if ids == (10, 50) || ids == (20, 40) {
                // reply-code, reply-text (a short string), the class and method that caused it.
                let code = arguments.count >= 3 ? UInt16(arguments[0]) << 8 | UInt16(arguments[1]) : 0
                let length = arguments.count >= 3 ? Int(arguments[2]) : 0
                throw Refusal(code: code, text: String(decoding: arguments.dropFirst(3).prefix(length), as: UTF8.self))
            }
            return (ids.0, ids.1, arguments)
        }
    }

    @discardableResult
    private func expect(_ classID: UInt16, _ methodID: UInt16) throws -> [UInt8] {
        let (gotClass, gotMethod, arguments) = try nextMethod()
        guard gotClass == classID && gotMethod == methodID else {
            throw UserError("rabbitmq answered method \(gotClass).\(gotMethod) where \(classID).\(methodID) was due")
        }
        return arguments
    }

    /// The next frame but heartbeats: its type (1 method, 2 content header, 3 body) and payload.
    private func nextFrame() throws -> (type: UInt8, payload: [UInt8]) {
        while true {
            let head = try socket.read(7)
            let size = head[3...6].reduce(0) { $0 << 8 | Int($1) }
            let payload = try socket.read(size)
            guard try socket.read(1) == [0xCE] else { throw UserError("rabbitmq sent a frame without its end octet") }
            if head[0] != 8 { return (head[0], payload) }
        }
    }
}

extension RabbitMQDrillConnection {
    /// `Connection.StartOk`: PLAIN as `user`; a refused login closes with `403 ACCESS_REFUSED` rather than bare.
    static func startOkFrame(user: String, password: String) -> [UInt8] {
        let yes: [UInt8] = [UInt8(ascii: "t"), 1]
        let capabilities = table([
            ("publisher_confirms", yes), ("basic.nack", yes), ("authentication_failure_close", yes),
        ])
        let properties = table([("capabilities", [UInt8(ascii: "F")] + capabilities)])
        let response: [UInt8] = [0] + Array(user.utf8) + [0] + Array(password.utf8)
        var arguments = properties
        arguments += shortString("PLAIN")
        arguments += longString(response)
        arguments += shortString("en_US")
        return method(channel: 0, 10, 11, arguments)
    }

    /// `Queue.Declare` on channel 1: durable, not exclusive or auto-deleted, `x-queue-type` = `type`.
    static func declareFrame(_ queue: String, type: String) -> [UInt8] {
        let queueType: [UInt8] = [UInt8(ascii: "S")] + longString(Array(type.utf8))
        var arguments: [UInt8] = [0, 0]
        arguments += shortString(queue)
        arguments.append(0b10)  // bits: passive, durable, exclusive, auto-delete, no-wait
        arguments += table([("x-queue-type", queueType)])
        return method(channel: 1, 50, 10, arguments)
    }

    /// `Basic.Publish` on channel 1 through the default exchange, its content header (class 60, weight 0, body
    /// size, delivery mode 2 the only property) and its body in one frame.
    static func publishFrames(_ body: [UInt8], to queue: String) -> [UInt8] {
        var publish: [UInt8] = [0, 0]
        publish += shortString("")
        publish += shortString(queue)
        publish.append(0)  // bits: mandatory, immediate
        var header: [UInt8] = [0, 60, 0, 0]
        header += bigEndian(UInt64(body.count), bytes: 8)
        header += [0x10, 0x00, 2]
        return method(channel: 1, 60, 40, publish) + frame(type: 2, channel: 1, header)
            + frame(type: 3, channel: 1, body)
    }

    /// `Basic.Get` on channel 1 of `queue`, no-ack.
    static func getFrame(_ queue: String) -> [UInt8] { method(channel: 1, 60, 70, [0, 0] + shortString(queue) + [1]) }

    static func method(channel: UInt16, _ classID: UInt16, _ methodID: UInt16, _ arguments: [UInt8]) -> [UInt8] {
        frame(
            type: 1, channel: channel,
            bigEndian(UInt64(classID), bytes: 2) + bigEndian(UInt64(methodID), bytes: 2) + arguments)
    }

    /// Type, channel, size, payload, frame end.
    private static func frame(type: UInt8, channel: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [type]
        out += bigEndian(UInt64(channel), bytes: 2)
        out += bigEndian(UInt64(payload.count), bytes: 4)
        out += payload
        out.append(0xCE)
        return out
    }

    private static func shortString(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }

    private static func longString(_ bytes: [UInt8]) -> [UInt8] { bigEndian(UInt64(bytes.count), bytes: 4) + bytes }

    /// A field table of `(name, type letter and value)` entries, with its length before it.
    private static func table(_ entries: [(String, [UInt8])]) -> [UInt8] {
        longString(entries.flatMap { shortString($0.0) + $0.1 })
    }

    private static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The big-endian number in the first 8 bytes.
    private static func uint64(_ bytes: [UInt8]) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
