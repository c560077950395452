import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Files that hold a secret (a private key, a password) and the directories they are in: readable by their
/// owner alone, from the moment they exist.
///
/// A private key or a password written with the default mode (0644 under the usual umask) and chmod'ed after
/// can be read by anyone in between; here the file is created 0600 and never has another mode.
enum SecretFile {
    /// The mode of a file that holds a secret.
    static let fileMode: mode_t = 0o600
    /// The mode of a directory that holds one.
    static let directoryMode: mode_t = 0o700

    /// Writes `text` to `url` as a new file of mode 0600, replacing what was there.
    ///
    /// - Throws: `UserError` naming the file when it cannot be written.
    static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes `data` to `url` as a new file of mode 0600, replacing what was there.
    static func write(_ data: Data, to url: URL) throws {
        // A new file: one left by an earlier run may have a wider mode, which O_CREAT would keep.
        unlink(url.path)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, fileMode)
        guard descriptor >= 0 else {
            throw UserError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // The umask cannot widen the mode, but make sure of it whatever created the path.
        fchmod(descriptor, fileMode)
        let written = data.withUnsafeBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += count
            }
            return offset
        }
        guard written == data.count else {
            throw UserError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Makes `url` (and missing parents) a directory and gives it mode 0700.
    static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create \(url.path): \(error.localizedDescription)")
        }
        guard chmod(url.path, directoryMode) == 0 else {
            throw UserError("cannot make \(url.path) private: \(String(cString: strerror(errno)))")
        }
    }
}
