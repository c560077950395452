import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What this machine lets one process open, read once: file descriptors and ephemeral ports.
///
/// A load needs a descriptor and a local port per connection; asking for more than the machine gives
/// would only spin in a connect loop, so specs and flags are checked against it before anything starts.
public struct MachineLimits: Sendable, Equatable {
    /// The hard limit on open files (`ulimit -Hn`); the soft limit can be raised up to it.
    public var openFiles: Int
    /// Local ports the kernel hands out for outgoing connections (`net.ipv4.ip_local_port_range`).
    public var ephemeralPorts: Int

    public init(openFiles: Int, ephemeralPorts: Int) {
        self.openFiles = openFiles
        self.ephemeralPorts = ephemeralPorts
    }

    /// Descriptors kept back for what is not a load connection: logs, pipes, the store, the event loops.
    public static let reservedDescriptors = 256

    /// This machine's limits, as this process sees them.
    public static var current: MachineLimits {
        var limit = rlimit()
        var openFiles = 1_024
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            openFiles = limit.rlim_max == rlim_t.max ? Int(Int32.max) : Int(clamping: limit.rlim_max)
        }
        var ports = 28_232
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) {
            let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            if bounds.count == 2, bounds[1] >= bounds[0] { ports = bounds[1] - bounds[0] + 1 }
        }
        return MachineLimits(openFiles: openFiles, ephemeralPorts: ports)
    }

    /// The most connections one load can open to one target here.
    public var connections: Int { max(1, min(openFiles - Self.reservedDescriptors, ephemeralPorts)) }

    /// What sets `connections`: `this machine lets a process open 20,000 files (ulimit -Hn)`.
    public var connectionsReason: String {
        openFiles - Self.reservedDescriptors <= ephemeralPorts
            ? "this machine lets a process open \(MessageText.grouped(openFiles)) files (ulimit -Hn)"
            : "this machine has \(MessageText.grouped(ephemeralPorts)) ephemeral ports (net.ipv4.ip_local_port_range)"
    }

    /// Raises this process's soft limit on open files to the hard limit, so that `connections` can be opened.
    public static func raiseOpenFilesLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Bytes free for an unprivileged user on the file system holding `path` (statvfs), or nil when unknown.
    public static func freeBytes(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let (bytes, overflow) = Int64(clamping: stats.f_bavail).multipliedReportingOverflow(
            by: Int64(clamping: stats.f_frsize))
        return overflow ? .max : bytes
    }
}
