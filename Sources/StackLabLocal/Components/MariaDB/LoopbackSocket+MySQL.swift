#if canImport(Glibc)
import Glibc
#endif

extension LoopbackSocket {
    /// Reads the first packet a MySQL server sends on 127.0.0.1:`port` and checks that it is a greeting
    /// (protocol version 10), not an error packet ("Too many connections") or another protocol.
    static func mysqlGreeting(port: Int, timeout: Duration) throws(Failure) {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        // The packet header (3-byte length, sequence id 0) and the payload's first byte; an error's message after.
        var packet: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        func wanted() -> Int {
            guard packet.count >= 5, packet[4] == 0xFF else { return 5 }
            return 4 + min(Int(packet[0]) | Int(packet[1]) << 8 | Int(packet[2]) << 16, 200)
        }
        while packet.count < wanted() {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure(reason: "no greeting in time") }
            if count < 0 { throw .errno("recv") }
            if count == 0 { break }
            packet += buffer[0..<count]
        }
        guard packet.count >= 5 else { throw Failure(reason: "connection closed without a greeting") }
        let length = Int(packet[0]) | Int(packet[1]) << 8 | Int(packet[2]) << 16
        guard packet[3] == 0, length < 0x1_0000 else { throw Failure(reason: "the answer is not a MySQL greeting") }
        switch packet[4] {
        case 10:
            return
        case 0xFF where packet.count >= 7:
            // Error packet: 0xFF, a 2-byte code, then the message (no SQLSTATE before the handshake).
            let message = String(decoding: packet.dropFirst(7), as: UTF8.self)
            throw Failure(reason: "the server answered with error \(Int(packet[5]) | Int(packet[6]) << 8): \(message)")
        default:
            throw Failure(reason: "the answer is not a MySQL greeting")
        }
    }
}
