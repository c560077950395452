import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with `posix_spawn` in a process group of its own, so one signal reaches all it starts.
enum Spawner {
    struct Request: Sendable {
        /// Absolute path of the program to execute (a wrapper such as `setpriv` when there is one).
        var executable: String
        /// The whole argument vector, `argv[0]` included.
        var arguments: [String]
        var environment: [String: String]
        var workingDirectory: String
        /// A descriptor to give the child as stdin; /dev/null when nil.
        var standardInput: Int32? = nil
        var standardOutputPath: String
        var standardErrorPath: String
    }

    /// The new child's pid.
    ///
    /// The child gets default signal dispositions and an empty signal mask, whatever this process has
    /// (a test runner or the CLI may ignore SIGINT or SIGPIPE, and ignored signals survive `exec`), stdin
    /// from /dev/null unless given, stdout and stderr into the log files (truncated), and no other inherited
    /// descriptor.
    ///
    /// - Throws: `errno` as the error code when the program cannot be executed; no child is left then.
    static func spawn(_ request: Request) throws(SpawnFailure) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let logFlags = O_WRONLY | O_CREAT | O_TRUNC
        if let input = request.standardInput {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, request.standardOutputPath, logFlags, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, request.standardErrorPath, logFlags, 0o644)
        // Descriptors this process opened without O_CLOEXEC (a listening socket, say) must not leak
        // into a component and outlive this process there.
        _ = GlibcExtensions.addCloseFrom?(&actions, 3)
        guard let addChdir = GlibcExtensions.addChdir else { throw SpawnFailure(code: ENOSYS) }
        _ = addChdir(&actions, request.workingDirectory)

        let argv = request.arguments.map { strdup($0) } + [nil]
        let envp = request.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, request.executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnFailure(code: result) }
        return pid
    }

    struct SpawnFailure: Error {
        var code: Int32
        var reason: String { String(cString: strerror(code)) }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `addclosefrom_np` (2.34), which Swift's Glibc
/// module does not export; looked up by name at run time.
private enum GlibcExtensions {
    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<Function>(_ name: String) -> Function? {
        // A null handle is RTLD_DEFAULT: search the libraries already loaded.
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
}
