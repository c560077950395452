import Foundation
import StackLabCore

/// A plain blocking NATS client connection on 127.0.0.1 for the durability drill (on a `DrillSocket`): a few
/// thousand messages, one at a time. One thread uses it at a time.
final class NATSDrillConnection: @unchecked Sendable {
    /// A message the server delivered: its subject and payload.
    struct Delivery {
        var subject: String
        var payload: [UInt8]
    }

    private let socket: DrillSocket

    /// Connects, logs in with `user` and `password` when given, and waits for the server's `PONG`.
    ///
    /// - Parameter timeout: the longest wait for any one read.
    init(port: Int, user: String?, password: String?, timeout: Duration) throws {
        socket = try DrillSocket(port: port, broker: "nats", timeout: timeout)
        var connect: [String: Any] = ["verbose": false, "pedantic": false, "headers": true, "no_responders": true]
        if let user, let password {
            connect["user"] = user
            connect["pass"] = password
        }
        let json = (try? JSONSerialization.data(withJSONObject: connect, options: [.sortedKeys])) ?? Data()
        try send("CONNECT \(String(decoding: json, as: UTF8.self))\r\n")
        // Answers to requests and acknowledgements come to `_INBOX.drill.…` (subscription 1).
        try send("SUB _INBOX.drill.> 1\r\n")
        try flush()
    }

    /// Sends `text` as it is.
    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws { try socket.send(bytes) }

    /// Publishes `payload` on `subject`, answers to `reply` when given.
    func publish(_ subject: String, reply: String? = nil, payload: [UInt8]) throws {
        let head = "PUB \(subject) \(reply.map { "\($0) " } ?? "")\(payload.count)\r\n"
        try send(Array(head.utf8) + payload + Array("\r\n".utf8))
    }

    /// Sends `PING` and returns once the server's `PONG` came: it has handled everything sent before.
    func flush() throws {
        try send("PING\r\n")
        while true {
            if case .pong = try nextFrame() { return }
        }
    }

    /// The next message delivered; nil when none comes within the read timeout.
    func nextDelivery() throws -> Delivery? {
        while true {
            let frame: Frame
            do {
                frame = try nextFrame()
            } catch is DrillSocket.TimedOut {
                return nil
            }
            if case .message(let delivery) = frame { return delivery }
        }
    }

    /// Sends `payload` to `subject` with a reply inbox and returns the answer's payload.
    func request(_ subject: String, _ payload: String, inbox: String) throws -> String {
        try publish(subject, reply: inbox, payload: Array(payload.utf8))
        while true {
            guard let delivery = try nextDelivery() else { throw UserError("nats did not answer \(subject)") }
            if delivery.subject == inbox { return String(decoding: delivery.payload, as: UTF8.self) }
        }
    }

    private enum Frame {
        case pong
        case message(Delivery)
        case other
    }

    /// Reads one protocol frame, answering the server's `PING`s.
    private func nextFrame() throws -> Frame {
        let line = try socket.readLine()
        let words = line.split(separator: " ").map(String.init)
        switch words.first?.uppercased() {
        case "PONG":
            return .pong
        case "PING":
            try send("PONG\r\n")
            return .other
        case "-ERR":
            throw UserError("nats refused: \(line.dropFirst(5))")
        case "MSG" where words.count >= 4:
            // MSG <subject> <sid> [reply] <bytes>
            let payload = try socket.read(Int(words[words.count - 1]) ?? 0)
            _ = try socket.read(2)
            return .message(Delivery(subject: words[1], payload: payload))
        case "HMSG" where words.count >= 5:
            // HMSG <subject> <sid> [reply] <header bytes> <total bytes>: the payload follows the headers.
            let headerBytes = Int(words[words.count - 2]) ?? 0
            let all = try socket.read(Int(words[words.count - 1]) ?? 0)
            _ = try socket.read(2)
            return .message(Delivery(subject: words[1], payload: Array(all.dropFirst(headerBytes))))
        default:
            return .other
        }
    }
}
