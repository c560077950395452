#if canImport(Glibc)
import Glibc
#endif

/// The size on disk of a directory tree: what a database keeps, priced as storage.
public enum StoredBytes {
    /// Bytes allocated to every file and directory under `path` (st_blocks × 512, so sparse files count
    /// what they take), walked with lstat: a symbolic link counts as itself and is never followed, so
    /// nothing outside the tree is counted. Nil when `path` cannot be read at all.
    public static func of(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var total = Int(info.st_blocks) * 512
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return total }
        // Another device mounted below (rare for a data directory) is not this tree's storage.
        total += directorySize(path, device: info.st_dev)
        return total
    }

    private static func directorySize(_ path: String, device: UInt) -> Int {
        guard let directory = opendir(path) else { return 0 }
        defer { closedir(directory) }
        var total = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let child = path + "/" + name
            var info = stat()
            // A file removed while walking (a checkpoint recycling WAL) is simply not counted.
            guard lstat(child, &info) == 0, info.st_dev == device else { continue }
            total += Int(info.st_blocks) * 512
            if (info.st_mode & S_IFMT) == S_IFDIR {
                total += directorySize(child, device: device)
            }
        }
        return total
    }
}
