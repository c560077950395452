import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a file the user named (`report -o`, `load --json/--csv/--hgrm`) without ever replacing what is at the
/// path when that is not a regular file.
///
/// A regular file, or no file yet, is written to a temporary file beside it and renamed over it, so a reader
/// never sees half a report. A symlink is followed on purpose: its target is written and the link kept. A
/// character device or a FIFO (`-o /dev/null`, `-o /dev/stdout`, a pipe) is opened and written, as a shell
/// redirection would; it stays what it was. A directory, a socket or a block device is refused.
public enum OutputFile {
    /// Writes `contents` to `path`.
    ///
    /// - Throws: `UserError` (exit code 1) naming the path and why it cannot be written.
    public static func write(_ contents: Data, to path: String) throws {
        let shown = MessageText.oneLine(path, limit: 200)
        var info = stat()
        // stat follows symlinks: a link is judged by what it points at, and a dangling one is a new file.
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFCHR, S_IFIFO:
                try writeInPlace(contents, to: path, shown: shown)
                return
            case S_IFDIR:
                throw UserError("cannot write \(shown): it is a directory; give a file name", exitCode: 1)
            default:
                throw UserError(
                    "cannot write \(shown): it is not a regular file, a character device or a FIFO", exitCode: 1)
            }
        }
        let target = resolvedPath(path)
        do {
            try contents.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw UserError("cannot write \(shown): \(reason(error))", exitCode: 1)
        }
    }

    /// Whether `path` is a regular file (following symlinks) or nothing yet: where files may also be put beside it.
    public static func isRegularOrNew(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) != 0 || info.st_mode & S_IFMT == S_IFREG
    }

    /// The path itself, or where its symlinks lead, so that the atomic rename replaces the target, not the link.
    static func resolvedPath(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current =
                destination.hasPrefix("/")
                ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        return current
    }

    /// Opens `path` for writing without creating or truncating anything else, and writes every byte.
    private static func writeInPlace(_ contents: Data, to path: String, shown: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            throw UserError("cannot write \(shown): \(String(cString: strerror(errno)))", exitCode: 1)
        }
        defer { close(descriptor) }
        let failure: Int32? = contents.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw UserError("cannot write \(shown): \(String(cString: strerror(failure)))", exitCode: 1)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
