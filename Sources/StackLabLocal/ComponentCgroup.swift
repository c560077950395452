import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A cgroup (v2) of one component, so that every process it starts can be found and killed, whatever it
/// does with sessions and process groups.
///
/// A process group is not enough: PostgreSQL's backends call `setsid`, and once the postmaster is gone they
/// are children of init, out of reach of the supervisor and of the watchdog. A cgroup keeps them: a child's
/// children are born in it and cannot leave it without privilege. The cgroup is made below this process's
/// own cgroup as `stacklab-<pid>.<start time>-<component>-<n>`, so one whose owner died can be told from
/// one in use (`LeftoverSweep`). Best effort: without a writable cgroup v2 hierarchy (not root, no
/// delegation) components run without one, and process groups plus `setpriv --pdeathsig` are what is left.
final class ComponentCgroup: Sendable {
    /// The cgroup's directory under the cgroup v2 mount.
    let path: String

    /// A cgroup made earlier, to kill and remove.
    init(existing path: String) {
        self.path = path
    }

    /// Where this process's cgroups are made: its own cgroup v2 directory, or nil when there is none.
    static let parent: String? = {
        guard let mount = mountPoint(), let own = ownPath() else { return nil }
        let directory = own == "/" ? mount : mount + own
        // The watchdog keeps paths in a space-separated list.
        guard !directory.contains(where: \.isWhitespace) else { return nil }
        return access(directory, W_OK) == 0 ? directory : nil
    }()

    private static let counter = Locked(0)

    /// A new, empty cgroup for component `name`; nil when cgroups cannot be made here.
    static func make(for name: String) -> ComponentCgroup? {
        guard let parent else { return nil }
        let index = counter.withLock { count in
            count += 1
            return count
        }
        let path = "\(parent)/\(LeftoverSweep.ownerPrefix)\(name)-\(index)"
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { return nil }
        return ComponentCgroup(existing: path)
    }

    /// `sh -c …` to put before a child's command: the shell writes its own pid into the cgroup, then execs
    /// the command (keeping the pid), so the program and everything it forks start inside the cgroup. Moving
    /// the pid from this process after the spawn would race with a program that forks at once (measured:
    /// a `setsid` child forked first on a loaded machine). A failed write is not fatal: `add` follows.
    var joinPrefix: [String] { Self.joinPrefix([path + "/cgroup.procs"]) }

    /// `sh -c …` that writes the shell's pid into each of `files` (`cgroup.procs` of a v2 group and of each v1
    /// hierarchy's group), then execs the command; no prefix for no files.
    static func joinPrefix(_ files: [String]) -> [String] {
        guard !files.isEmpty else { return [] }
        let writes = files.indices.map { #"echo $$ 2>/dev/null >"$\#($0)""# }
        let shift = files.count > 1 ? ["shift \(files.count - 1)"] : []
        return ["/bin/sh", "-c", (writes + shift + [#"exec "$@""#]).joined(separator: "; ")] + files
    }

    /// Moves `pid` and `started`, what it has started (read once for several groups), into the cgroup; false when
    /// the kernel refused `pid`.
    @discardableResult
    func add(_ pid: Int32, started: [Int32]) -> Bool {
        guard write("\(pid)\n", to: "cgroup.procs") else { return false }
        for late in started { write("\(late)\n", to: "cgroup.procs") }
        return true
    }

    /// The processes in the cgroup now.
    var members: [Int32] {
        guard let text = try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// SIGKILLs every process in the cgroup, as `cgroup.kill` does on kernels that have it (5.14).
    func killAll() {
        if !write("1\n", to: "cgroup.kill") {
            for pid in members { kill(pid, SIGKILL) }
        }
    }

    /// Kills what is left, waits up to `limit` for the cgroup to empty, and removes it.
    ///
    /// - Returns: whether it is gone.
    @discardableResult
    func remove(limit: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + limit
        while !members.isEmpty && ContinuousClock.now < deadline {
            killAll()
            usleep(10_000)
        }
        return rmdir(path) == 0 || errno == ENOENT
    }

    @discardableResult
    private func write(_ text: String, to file: String) -> Bool {
        let descriptor = open(path + "/" + file, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
    }

    /// The cgroup v2 mount point, from /proc/self/mounts.
    static func mountPoint() -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 2, fields[2] == "cgroup2" { return String(fields[1]) }
        }
        return nil
    }

    /// This process's cgroup v2 path (`0::/path` in /proc/self/cgroup).
    static func ownPath() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) }
    }
}
