import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes completed by the block device that holds a path, from /proc/diskstats.
///
/// This kernel gives no per-process operation counts (/proc/PID/io has bytes only) and this machine's
/// cgroup v2 hierarchy has no io controller, so a database's IOPS are counted device-wide: every process
/// using the same device counts. Reports say so (`DiskOperations.Scope.device`).
struct BlockDeviceCounters: Sendable, Equatable {
    /// The device's name in /proc/diskstats (`vda`, `nvme0n1p2`).
    var device: String

    /// Counts taken at one moment.
    struct Reading: Sendable, Equatable {
        var reads: Int
        var writes: Int
    }

    /// The device that holds `path`; nil when it is not a block device (tmpfs, overlayfs, a network
    /// filesystem), for which /proc/diskstats has no line.
    init?(holding path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let major = (info.st_dev >> 8) & 0xfff | ((info.st_dev >> 32) & ~0xfff)
        let minor = (info.st_dev & 0xff) | ((info.st_dev >> 12) & ~0xff)
        guard major != 0, let name = Self.name(major: Int(major), minor: Int(minor)) else { return nil }
        device = name
    }

    init(device: String) {
        self.device = device
    }

    /// Reads and writes completed so far; nil when the device is not listed.
    func read() -> Reading? {
        ProcFS.withContents(of: "/proc/diskstats") { bytes -> Reading? in
            Self.parse(String(decoding: bytes, as: UTF8.self), device: device)
        }
    }

    /// The counts of `device` in the text of /proc/diskstats: fields 4 (reads completed) and 8 (writes
    /// completed), 1-based, after major, minor and name.
    static func parse(_ text: String, device: String) -> Reading? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 8, fields[2] == device, let reads = Int(fields[3]), let writes = Int(fields[7])
            else { continue }
            return Reading(reads: reads, writes: writes)
        }
        return nil
    }

    /// The operations between two readings, labelled as device-wide.
    func operations(from start: Reading, to end: Reading) -> DiskOperations {
        DiskOperations(
            reads: max(0, end.reads - start.reads), writes: max(0, end.writes - start.writes), scope: .device,
            device: device)
    }

    /// The kernel's name for a block device number, from /sys/dev/block/MAJOR:MINOR/uevent.
    private static func name(major: Int, minor: Int) -> String? {
        ProcFS.withContents(of: "/sys/dev/block/\(major):\(minor)/uevent") { bytes -> String? in
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("DEVNAME=") }
                .map { String($0.dropFirst("DEVNAME=".count)) }
        }
    }
}
