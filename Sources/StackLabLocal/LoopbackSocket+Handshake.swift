#if canImport(Glibc)
import Glibc
#endif

extension LoopbackSocket {
    /// Sends `greeting` to 127.0.0.1:`port` and checks the first `expect.count` bytes of the answer against
    /// `expect`, byte for byte where it is not nil: a broker that answers its protocol's opening is ready.
    static func handshake(
        port: Int, protocolName: String, send greeting: [UInt8], expect: [UInt8?], timeout: Duration
    ) throws(Failure) {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        let sent = greeting.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == greeting.count else { throw .errno("send") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while answer.count < expect.count {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw Failure(reason: "no \(protocolName) answer in time")
            }
            if count < 0 { throw .errno("recv") }
            if count == 0 { throw Failure(reason: "connection closed without an \(protocolName) answer") }
            answer += buffer[0..<count]
        }
        for (index, wanted) in expect.enumerated() where wanted != nil && answer[index] != wanted {
            let shown = answer.prefix(expect.count).map { String($0, radix: 16) }.joined(separator: " ")
            throw Failure(reason: "the answer (\(shown)) is not the \(protocolName) one")
        }
    }
}
