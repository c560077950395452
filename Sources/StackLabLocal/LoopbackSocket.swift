#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking TCP sockets on 127.0.0.1, for readiness probes and port checks: a few calls each, not
/// worth an event loop.
enum LoopbackSocket {
    /// What went wrong, in words for an error message ("connection refused").
    struct Failure: Error, Equatable {
        var reason: String

        static func errno(_ action: String) -> Failure {
            Failure(reason: "\(action): \(String(cString: strerror(Glibc.errno)))")
        }
    }

    private static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        return address
    }

    private static func makeSocket() -> Int32 {
        socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    /// Opens a connection to 127.0.0.1:`port`, giving up after `timeout`; the caller closes the descriptor.
    static func connect(port: Int, timeout: Duration) throws(Failure) -> Int32 {
        let fd = makeSocket()
        guard fd >= 0 else { throw .errno("socket") }
        var time = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        if time.tv_sec == 0 && time.tv_usec == 0 { time.tv_usec = 1000 }
        // On Linux SO_SNDTIMEO bounds connect() too, SO_RCVTIMEO each read.
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let failure: Failure =
                errno == EINPROGRESS || errno == EAGAIN ? Failure(reason: "connect timed out") : .errno("connect")
            close(fd)
            throw failure
        }
        return fd
    }

    /// Sends `GET path HTTP/1.1` to 127.0.0.1:`port` and returns the status code of the answer.
    static func httpStatus(port: Int, path: String, timeout: Duration) throws(Failure) -> Int {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        let request = Array(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: stacklab-probe\r\nConnection: close\r\n\r\n"
                .utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .errno("send") }
            sent += count
        }
        // Only the status line matters: "HTTP/1.1 200 OK\r\n".
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !response.contains(UInt8(ascii: "\n")) && response.count < 8192 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure(reason: "no answer in time") }
            if count < 0 { throw .errno("recv") }
            if count == 0 { break }
            response += buffer[0..<count]
        }
        let line = String(decoding: response.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let words = line.split(separator: " ")
        guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else {
            throw Failure(
                reason: response.isEmpty
                    ? "connection closed without an answer" : "answer is not HTTP: '\(line.prefix(60))'")
        }
        return status
    }

    /// Whether 127.0.0.1:`port` can be bound now (without SO_REUSEADDR, so a port in TIME_WAIT counts as busy).
    static func canBind(port: Int) -> Bool {
        let fd = makeSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// A port the kernel picks when binding 127.0.0.1:0 (from the ephemeral range), or nil.
    static func kernelChosenPort() -> Int? {
        let fd = makeSocket()
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
