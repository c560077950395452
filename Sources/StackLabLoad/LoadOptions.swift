import NIOCore
import StackLabCore

/// Everything a load run needs, checked and parsed: what to send, where, how fast, for how long.
public struct LoadOptions: Sendable {
    /// How requests arrive.
    public enum Arrival: Sendable, Equatable {
        /// Each connection sends its next request when the previous reply arrives (wrk's model).
        case closedLoop
        /// Requests are due on a schedule, whatever the server does; latency counts from the due time.
        case openLoop(ArrivalSchedule)
    }

    public var target: TargetURL
    public var method: String = "GET"
    public var headers: [(name: String, value: String)] = []
    public var body: [UInt8] = []
    public var connections: Int = 32
    public var threads: Int = 1
    public var keepAlive: Bool = true
    /// Accept any TLS certificate (a self-signed one on a test gateway).
    public var insecure: Bool = false
    public var timeoutNanoseconds: Int64 = 5_000_000_000
    /// Traffic sent before the measured window and not recorded.
    public var warmupNanoseconds: Int64 = 0
    /// The measured window.
    public var durationNanoseconds: Int64 = 10_000_000_000
    /// Lets the send timer fire at most once per this interval, sending every request then due.
    ///
    /// Each wake-up of an idle client costs CPU (a context switch, and on a VM an exit); coalescing them
    /// cuts client CPU per request at the price of send lag, which is measured and which corrected
    /// latency includes. 0 (the default) wakes for every request's due time.
    public var timerSlackNanoseconds: Int64 = 0
    /// For an open loop, the schedule covers warm-up and measured window together.
    public var arrival: Arrival = .closedLoop

    public init(target: TargetURL) {
        self.target = target
    }

    /// The bytes of one request, encoded once and written as they are for every request.
    func encodedRequest(allocator: ByteBufferAllocator) -> ByteBuffer {
        var head = "\(method) \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        let names = Set(headers.map { $0.name.lowercased() })
        if !names.contains("user-agent") { head += "User-Agent: stacklab/\(StackLabVersion.current)\r\n" }
        if !names.contains("accept") { head += "Accept: */*\r\n" }
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(body.count)\r\n"
        }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        return buffer
    }
}

extension LoadOptions {
    /// One event loop per core this process may use.
    public static var defaultThreads: Int { ProcessUsage.usableCores() }
}
