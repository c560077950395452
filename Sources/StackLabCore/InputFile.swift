import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file the user named (an experiment, a catalog, a request body), saying in one line why it cannot be.
public enum InputFile {
    /// Files larger than this are refused: an experiment or a catalog is a few kilobytes.
    public static let maximumBytes = 64 * 1_048_576

    /// The bytes of the regular file at `path` (a symlink is followed).
    ///
    /// - Throws: `UserError` naming the path and the reason: no such file, a symlink loop, permission denied, a
    ///   directory or a device rather than a file, or too large.
    public static func read(_ path: String, maximumBytes: Int = InputFile.maximumBytes) throws -> Data {
        let shown = MessageText.oneLine(path, limit: 200)
        var info = stat()
        guard stat(path, &info) == 0 else { throw UserError("\(shown): \(reason(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw UserError("\(shown): is a directory, not a file")
        default: throw UserError("\(shown): not a regular file")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw UserError(
                "\(shown): \(MessageText.grouped(Int(info.st_size))) bytes is too large; at most "
                    + "\(MessageText.grouped(maximumBytes))")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UserError("\(shown): \(reason(errno))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw UserError("\(shown): cannot read the file: \(reason(errno))")
        }
    }

    /// What an `errno` from opening a named file means to its user.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case ELOOP: "too many levels of symbolic links (a symlink loop?)"
        case EACCES: "permission denied"
        case ENAMETOOLONG: "the path is too long"
        case ENOTDIR: "a part of the path is not a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
