#if canImport(Glibc)
import Glibc
#endif

/// A small `sh` that outlives this process just long enough to SIGKILL the process groups and cgroups it was
/// told about and remove the scratch directories it was told about.
///
/// It reads lines from a socket whose other end only this process holds: `+GROUP` to remember a group,
/// `-GROUP` to forget one (reaped, so its id may be reused), `C+PATH` and `C-PATH` for a component's cgroup,
/// `D+PATH` and `D-PATH` for a directory outside the run directory (a PostgreSQL cluster in /tmp). When this
/// process ends, however it ends, the kernel closes that end, `read` sees end of file, and the watchdog
/// kills what it remembers, waits for each cgroup to empty (up to 5 s) and removes it, then removes the
/// directories. It runs in a process group of its own and ignores SIGINT, SIGTERM and SIGHUP, so neither
/// Ctrl-C, a closing terminal nor the supervisor's group signals stop it before its work.
final class OrphanWatchdog: Sendable {
    let pid: Int32
    /// This process's end of the socket; nil once closed or after the watchdog went away.
    private let socket: Locked<Int32?>

    private static let script = """
        trap '' INT HUP TERM
        drop() { kept=' '; for x in $1; do [ "$x" = "$2" ] || kept="$kept$x "; done; printf '%s' "$kept"; }
        groups=' ' cgroups=' ' dirs=' '
        while IFS= read -r line; do
          case $line in
            C+*) cgroups="$cgroups${line#C+} " ;;
            C-*) cgroups=$(drop "$cgroups" "${line#C-}") ;;
            D+*) dirs="$dirs${line#D+} " ;;
            D-*) dirs=$(drop "$dirs" "${line#D-}") ;;
            +*) groups="$groups${line#+} " ;;
            -*) groups=$(drop "$groups" "${line#-}") ;;
          esac
        done
        for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
        for c in $cgroups; do
          echo 1 2>/dev/null >"$c/cgroup.kill"
          i=0
          while [ $i -lt 100 ]; do
            members=$(cat "$c/cgroup.procs" 2>/dev/null)
            [ -z "$members" ] && break
            kill -s KILL $members 2>/dev/null
            i=$((i + 1))
            sleep 0.05
          done
          rmdir "$c" 2>/dev/null
        done
        for d in $dirs; do rm -rf -- "$d"; done
        """

    /// Starts a watchdog; nil when /bin/sh cannot be started.
    init?() {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            return nil
        }
        let request = Spawner.Request(
            // The script goes through the environment so that `ps` shows a short line that names it.
            executable: "/bin/sh",
            arguments: ["/bin/sh", "-c", "eval \"$STACKLAB_WATCHDOG\"", "stacklab-orphan-watchdog"],
            environment: ["PATH": "/usr/bin:/bin", "STACKLAB_WATCHDOG": Self.script], workingDirectory: "/",
            standardInput: fds[1],
            standardOutputPath: "/dev/null", standardErrorPath: "/dev/null")
        let pid = try? Spawner.spawn(request)
        close(fds[1])
        guard let pid else {
            close(fds[0])
            return nil
        }
        self.pid = pid
        socket = Locked(fds[0])
    }

    func remember(_ group: Int32) {
        tell("+\(group)")
    }

    func forget(_ group: Int32) {
        tell("-\(group)")
    }

    func remember(cgroup path: String) {
        tell("C+\(path)")
    }

    func forget(cgroup path: String) {
        tell("C-\(path)")
    }

    func remember(directory path: String) {
        tell("D+\(path)")
    }

    func forget(directory path: String) {
        tell("D-\(path)")
    }

    /// Closes this process's end, as this process ending would: the watchdog kills what it remembers and exits.
    func release() {
        socket.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    private func tell(_ line: String) {
        socket.withLock { fd in
            guard let open = fd else { return }
            let bytes = Array((line + "\n").utf8)
            // MSG_NOSIGNAL: a watchdog someone killed must not take this process down with SIGPIPE.
            if bytes.withUnsafeBytes({ send(open, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) < 0 {
                close(open)
                fd = nil
            }
        }
    }
}
