import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// The cgroups that enforce a component's CPU and memory limits and count what it uses, as a kubelet's do for
/// a container.
///
/// cgroup v1: a directory under each of the `cpuacct` and `memory` hierarchies, and under `cpu` when the
/// component has a CPU limit or request, below this process's own group in each, named as
/// ``ComponentCgroup``'s are (`stacklab-<pid>.<start>-<component>-<n>`) so that ``LeftoverSweep`` finds those
/// of a dead owner. A `cpu` group only with a CPU setting, since a group of its own competes with the rest of
/// the machine as one task of weight cpu.shares: an unlimited component would be scheduled differently.
/// cgroup v2, where this process's group enables the `cpu` and `memory` controllers below it: the component's
/// ``ComponentCgroup`` directory itself.
///
/// Kubernetes' mapping: `limits.cpu` is a CFS quota of cores × 100 ms per 100 ms period (cpu.cfs_quota_us,
/// cpu.max), `requests.cpu` a weight of cores × 1024 shares (cpu.shares; cpu.weight converted as the kubelet
/// does), `limits.memory` the memory limit, with swap held to it (memory.memsw.limit_in_bytes set to the same,
/// memory.swap.max 0), as on a node with swap off.
final class ResourceCgroup: Sendable {
    /// The directory of each controller used (`cpu`, `cpuacct`, `memory`); on v2 all are the same one.
    let directories: [String: String]
    let isVersion2: Bool
    let limits: Resources.Amounts

    init(directories: [String: String], isVersion2: Bool, limits: Resources.Amounts) {
        self.directories = directories
        self.isVersion2 = isVersion2
        self.limits = limits
    }

    /// The CFS period Kubernetes uses, microseconds.
    static let periodMicroseconds = 100_000

    /// Why limits cannot be enforced here; nil when they can.
    static var unavailableReason: String? {
        if hierarchy != nil { return nil }
        return "no writable cgroup hierarchy with the cpu, cpuacct and memory controllers "
            + "(cgroup v1 under /sys/fs/cgroup/<controller>, or v2 with cpu and memory delegated); run as root"
    }

    /// Where groups are made: each v1 controller's parent directory, or the v2 parent; nil when neither works.
    static let hierarchy: (parents: [String: String], isVersion2: Bool)? = {
        let version1 = CgroupMounts.version1Parents(["cpu", "cpuacct", "memory"])
        if version1.count == 3, version1.values.allSatisfy({ access($0, W_OK) == 0 }) {
            return (version1, false)
        }
        if let parent = ComponentCgroup.parent,
            let enabled = try? String(contentsOfFile: parent + "/cgroup.subtree_control", encoding: .utf8)
        {
            let controllers = enabled.split(whereSeparator: \.isWhitespace)
            if controllers.contains("cpu") && controllers.contains("memory") {
                return (["cpu": parent, "cpuacct": parent, "memory": parent], true)
            }
        }
        return nil
    }()

    /// The v1 parents LeftoverSweep looks in.
    static var version1Parents: [String] {
        guard let hierarchy, !hierarchy.isVersion2 else { return [] }
        return Array(Set(hierarchy.parents.values)).sorted()
    }

    /// Makes the groups of component `name` and writes its limits into them, before any process joins.
    ///
    /// - Parameter version2: the component's v2 group, used as is on a v2 hierarchy.
    /// - Returns: nil when groups cannot be made here (``unavailableReason``) or a limit cannot be written; what
    ///   was made is removed then.
    static func make(for name: String, resources: Resources?, version2: ComponentCgroup?) -> ResourceCgroup? {
        guard let hierarchy else { return nil }
        let limits = resources?.limits ?? .init()
        if hierarchy.isVersion2 {
            guard let version2 else { return nil }
            let group = ResourceCgroup(
                directories: ["cpu": version2.path, "cpuacct": version2.path, "memory": version2.path],
                isVersion2: true, limits: limits)
            return group.apply(resources) ? group : nil
        }
        var controllers = ["cpuacct", "memory"]
        if resources?.limits.cpu != nil || resources?.requests.cpu != nil { controllers.append("cpu") }
        let index = counter.withLock { count in
            count += 1
            return count
        }
        let leaf = "\(LeftoverSweep.ownerPrefix)\(name)-\(index)"
        var directories: [String: String] = [:]
        for controller in controllers {
            guard let parent = hierarchy.parents[controller] else { return nil }
            let path = parent + "/" + leaf
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                ResourceCgroup(directories: directories, isVersion2: false, limits: limits).remove()
                return nil
            }
            directories[controller] = path
        }
        let group = ResourceCgroup(directories: directories, isVersion2: false, limits: limits)
        guard group.apply(resources) else {
            group.remove()
            return nil
        }
        return group
    }

    private static let counter = Locked(0)

    /// The v1 directories as groups of their own, to track with the watchdog and remove; none on v2, whose one
    /// group is the component's ``ComponentCgroup``.
    var version1Groups: [ComponentCgroup] {
        isVersion2 ? [] : Array(Set(directories.values)).sorted().map(ComponentCgroup.init(existing:))
    }

    /// The `cgroup.procs` files a child writes itself into before it execs (``ComponentCgroup/joinPrefix(_:)``).
    var joinFiles: [String] { version1Groups.map { $0.path + "/cgroup.procs" } }

    /// Kills what is left in the v1 groups and removes them.
    @discardableResult
    func remove() -> Bool {
        version1Groups.map { $0.remove() }.allSatisfy { $0 }
    }

    /// Writes the CPU and memory settings; false when the kernel refused one.
    private func apply(_ resources: Resources?) -> Bool {
        guard let resources else { return true }
        var written = true
        let period = Self.periodMicroseconds
        if let cores = resources.limits.cpu {
            let quota = max(1_000, Int((cores * Double(period)).rounded()))
            written =
                written
                && (isVersion2
                    ? write("\(quota) \(period)", to: "cpu.max", in: "cpu")
                    : write("\(period)", to: "cpu.cfs_period_us", in: "cpu")
                        && write("\(quota)", to: "cpu.cfs_quota_us", in: "cpu"))
        }
        if let cores = resources.requests.cpu {
            let shares = max(2, Int((cores * 1024).rounded()))
            // The kubelet's conversion of shares (2…262144) to a weight (1…10000).
            let weight = 1 + (shares - 2) * 9_999 / 262_142
            written =
                written
                && (isVersion2
                    ? write("\(weight)", to: "cpu.weight", in: "cpu") : write("\(shares)", to: "cpu.shares", in: "cpu"))
        }
        if let bytes = resources.limits.memory {
            if isVersion2 {
                written = written && write("\(bytes)", to: "memory.max", in: "memory")
                write("0", to: "memory.swap.max", in: "memory")
            } else {
                written = written && write("\(bytes)", to: "memory.limit_in_bytes", in: "memory")
                // Present only with swap accounting; the limit then covers memory and swap together.
                write("\(bytes)", to: "memory.memsw.limit_in_bytes", in: "memory")
            }
        }
        return written
    }

    /// Writes `text` to a control file of `controller`'s group; false when it failed.
    @discardableResult
    func write(_ text: String, to file: String, in controller: String) -> Bool {
        guard let directory = directories[controller] else { return false }
        let descriptor = open(directory + "/" + file, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
    }

    /// The text of a control file of `controller`'s group; nil when unreadable.
    func read(_ file: String, in controller: String) -> String? {
        guard let directory = directories[controller] else { return nil }
        return try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)
    }
}
