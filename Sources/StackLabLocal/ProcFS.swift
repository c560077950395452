#if canImport(Glibc)
import Glibc
#endif

/// Reads /proc with plain system calls: the sampler reads several files per process four times a second,
/// and Foundation's file APIs would cost more than the reading.
enum ProcFS {
    /// Calls `body` with the file's bytes (up to 64 KiB), or returns nil when it cannot be read
    /// (the process is gone, or the file is not ours to read).
    static func withContents<Result>(
        of path: String, _ body: (UnsafeRawBufferPointer) -> Result?
    ) -> Result? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 16) { buffer -> Result? in
            var length = 0
            while length < buffer.count {
                let count = read(fd, buffer.baseAddress! + length, buffer.count - length)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return nil }
                if count == 0 { break }
                length += count
            }
            return body(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
        }
    }

    static func stat(_ pid: Int32) -> ProcStat? {
        withContents(of: "/proc/\(pid)/stat") { ProcStat($0) }
    }

    /// `read_bytes` and `write_bytes` of /proc/PID/io: what reached the storage layer, including children
    /// the process has waited for. Nil when the file is unreadable (another user's process, or no
    /// task I/O accounting in this kernel).
    static func io(_ pid: Int32) -> (read: Int, write: Int)? {
        withContents(of: "/proc/\(pid)/io") { bytes -> (read: Int, write: Int)? in
            var read: Int?
            var write: Int?
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                if line.starts(with: "read_bytes:".utf8) {
                    read = number(in: line)
                } else if line.starts(with: "write_bytes:".utf8) {
                    write = number(in: line)
                }
            }
            guard let read, let write else { return nil }
            return (read, write)
        }
    }

    /// Whether this kernel has /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN); without it, finding
    /// children means scanning all of /proc.
    static let hasChildrenFiles: Bool = access("/proc/thread-self/children", F_OK) == 0

    /// The children of every thread of `pid`, from /proc/PID/task/TID/children.
    ///
    /// - Parameter threads: the process's thread count when known; with one thread there is no need to
    ///   list /proc/PID/task.
    static func children(of pid: Int32, threads: Int = 0) -> [Int32] {
        var children: [Int32] = []
        for thread in threads == 1 ? [pid] : numericEntries(of: "/proc/\(pid)/task") {
            let found = withContents(of: "/proc/\(pid)/task/\(thread)/children") { bytes -> [Int32]? in
                bytes.split(separator: UInt8(ascii: " ")).compactMap { number(in: $0).map(Int32.init) }
            }
            children += found ?? []
        }
        return children
    }

    /// Every process id in /proc.
    static func allProcesses() -> [Int32] {
        numericEntries(of: "/proc")
    }

    private static func numericEntries(of directory: String) -> [Int32] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var result: [Int32] = []
        while let entry = readdir(dir) {
            let value = withUnsafeBytes(of: entry.pointee.d_name) { name -> Int32? in
                var value: Int32 = 0
                var digits = 0
                for byte in name {
                    if byte == 0 { break }
                    guard byte >= 48 && byte <= 57 else { return nil }
                    value = value * 10 + Int32(byte - 48)
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            if let value { result.append(value) }
        }
        return result
    }

    /// The first run of digits in `bytes`.
    private static func number(in bytes: some Collection<UInt8>) -> Int? {
        var value = 0
        var seen = false
        for byte in bytes {
            if byte >= 48 && byte <= 57 {
                value = value * 10 + Int(byte - 48)
                seen = true
            } else if seen {
                break
            }
        }
        return seen ? value : nil
    }

    /// Clock ticks per second for the CPU fields of /proc/PID/stat (USER_HZ, 100 on Linux).
    static let ticksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    static let pageSize: Int = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? size : 4096
    }()
}
