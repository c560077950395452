import Foundation

/// Where this process sits in the cgroup v1 hierarchies: each controller's mount point (/proc/self/mounts) joined
/// with this process's group in it (/proc/self/cgroup).
enum CgroupMounts {
    /// For each of `controllers` mounted as cgroup v1, this process's own group directory in it; controllers not
    /// mounted, or whose directory holds white space (the watchdog keeps paths in a space-separated list), are
    /// left out.
    static func version1Parents(
        _ controllers: [String], mounts: String? = read("/proc/self/mounts"), own: String? = read("/proc/self/cgroup")
    ) -> [String: String] {
        guard let mounts, let own else { return [:] }
        var parents: [String: String] = [:]
        for controller in controllers {
            guard let mount = mountPoint(of: controller, in: mounts), let path = ownPath(of: controller, in: own)
            else { continue }
            let directory = path == "/" ? mount : mount + path
            if !directory.contains(where: \.isWhitespace) { parents[controller] = directory }
        }
        return parents
    }

    /// The mount point of the v1 hierarchy holding `controller` (`cgroup /sys/fs/cgroup/cpu,cpuacct cgroup
    /// rw,cpu,cpuacct 0 0` holds `cpu` and `cpuacct`).
    static func mountPoint(of controller: String, in mounts: String) -> String? {
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[2] == "cgroup" else { continue }
            if fields[3].split(separator: ",").contains(Substring(controller)) { return String(fields[1]) }
        }
        return nil
    }

    /// This process's group in the hierarchy of `controller` (`4:memory:/process_api/x`).
    static func ownPath(of controller: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[1].split(separator: ",").contains(Substring(controller)) { return String(fields[2]) }
        }
        return nil
    }

    static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
