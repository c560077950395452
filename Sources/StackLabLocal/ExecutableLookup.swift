import Foundation

/// Finds a program the way a shell would: a path as given, or a name searched on `PATH`.
enum ExecutableLookup {
    /// Directories searched after `PATH`, where Debian puts the tools the lab wraps children with.
    static let systemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The executable's path, or nil when there is none.
    ///
    /// - Parameter searchPath: a `PATH` value; this process's own when nil.
    static func find(_ program: String, searchPath: String? = nil, includeSystemDirectories: Bool = false) -> String? {
        if program.contains("/") {
            return FileManager.default.isExecutableFile(atPath: program) ? program : nil
        }
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        var directories = path.split(separator: ":").map(String.init)
        if includeSystemDirectories { directories += systemDirectories }
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + program
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }
}
