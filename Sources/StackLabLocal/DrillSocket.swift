import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking connection to a broker on 127.0.0.1 for the durability drills (`NATSDrillConnection`,
/// `RabbitMQDrillConnection`, `MosquittoDrillConnection`): a few thousand small messages, not worth the load
/// engine's event loop. Bytes are written whole and read through a buffer of its own. One thread uses it at a time.
final class DrillSocket: @unchecked Sendable {
    /// Nothing came within the read timeout.
    struct TimedOut: Error {}

    /// The broker's name in error messages: `nats`, `rabbitmq`, `mosquitto`.
    let broker: String
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    ///
    /// - Parameter timeout: the longest wait for the connection and for any one read.
    init(port: Int, broker: String, timeout: Duration) throws {
        do {
            fd = try LoopbackSocket.connect(port: port, timeout: timeout)
        } catch {
            throw UserError("cannot connect to \(broker) at 127.0.0.1:\(port): \(error.reason)")
        }
        self.broker = broker
        // Each message waits for its answer: no Nagle delay on the small writes.
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Writes all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw UserError("\(broker) connection closed while sending") }
            offset += written
        }
    }

    /// Whether something can be read before `deadline` without waiting longer: bytes already buffered, bytes
    /// arriving, or the connection's end (which the read then reports).
    func hasBytes(before deadline: ContinuousClock.Instant) -> Bool {
        if !buffer.isEmpty { return true }
        let milliseconds = max(0, ((deadline - ContinuousClock.now).seconds * 1000).rounded(.up))
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(min(milliseconds, 60_000))) > 0
    }

    /// Exactly `count` bytes.
    ///
    /// - Throws: `TimedOut` when they do not come within the read timeout, `UserError` when the connection ends.
    func read(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeSubrange(..<count) }
        return Array(buffer[..<count])
    }

    /// A line, without its `\r\n`.
    func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<end].filter { $0 != UInt8(ascii: "\r") }
                buffer.removeSubrange(...end)
                return String(decoding: line, as: UTF8.self)
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if got < 0 && errno == EINTR { return }
        if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw TimedOut() }
        guard got > 0 else { throw UserError("\(broker) closed the connection") }
        buffer.append(contentsOf: chunk[..<got])
    }
}
