import Foundation
import StackLabCore

/// Runs an image `stacklab image` built with rootful podman on the host's loopback, and measures the time from
/// "image present" (the OCI layout on disk) to the first correct answer to `GET /json`.
public struct PodmanRun: Sendable {
    /// A run's outcome: the time to the first correct answer, or why podman could not run the image here.
    public enum Outcome: Sendable, Equatable {
        case served(seconds: Double)
        case failed(reason: String)
    }

    public var layout: URL
    /// Arguments after the image's entrypoint, given the port: `--host 127.0.0.1 --port P`.
    public var arguments: @Sendable (Int) -> [String]
    /// How long to wait for the first answer.
    public var timeout: Double = 60

    public init(layout: URL, arguments: @escaping @Sendable (Int) -> [String]) {
        self.layout = layout
        self.arguments = arguments
    }

    /// Why podman cannot run here before trying, or nil.
    public static var unavailableReason: String? {
        (try? ToolRun.path(of: "podman")) == nil ? "podman is not installed (apt-get install podman)" : nil
    }

    /// This machine mounts cgroup v1 controllers and a cgroup v2 hierarchy at /sys/fs/cgroup/unified that holds a
    /// controller too (hugetlb here); crun refuses that "hybrid mode". Podman then runs in a private mount
    /// namespace in which that hierarchy is unmounted, so crun sees cgroup v1 only; the host is left as it is.
    public static var needsPrivateCgroupView: Bool {
        let controllers = try? String(contentsOfFile: "/sys/fs/cgroup/unified/cgroup.controllers", encoding: .utf8)
        return !(controllers ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Starts the image, waits for `GET /json` to answer 200 with `Hello, World!`, then stops it.
    public func measure() -> Outcome {
        if let reason = Self.unavailableReason { return .failed(reason: reason) }
        guard let port = LoopbackProbe.freePort() else { return .failed(reason: "no free loopback port") }
        let name = "stacklab-image-\(getpid())-\(port)"
        let link = Self.link
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        defer { try? FileManager.default.removeItem(at: log) }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        guard let output = try? FileHandle(forWritingTo: log) else {
            return .failed(reason: "cannot write \(log.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try? FileManager.default.removeItem(at: link)
        do { try FileManager.default.createSymbolicLink(at: link, withDestinationURL: layout) } catch {
            return .failed(reason: "cannot link \(link.path) to the layout: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: link) }
        process.arguments = command(name: name, port: port, layout: link)
        let start = Date()
        do { try process.run() } catch { return .failed(reason: "cannot start podman: \(error)") }
        defer { stop(process, name: name) }
        while Date().timeIntervalSince(start) < timeout {
            if let answer = LoopbackProbe.get(port: port, path: "/json"), answer.hasPrefix("HTTP/1."),
                answer.contains(" 200 "), answer.contains("Hello, World!")
            {
                return .served(seconds: Date().timeIntervalSince(start))
            }
            if !process.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                let last = text.split(separator: "\n").last.map(String.init) ?? "no output"
                return .failed(reason: "podman exited (\(process.terminationStatus)): \(MessageText.oneLine(last))")
            }
            usleep(10_000)
        }
        return .failed(reason: "no correct answer to GET /json within \(Int(timeout)) s")
    }

    /// `podman run --rm --network host` with the limits this machine lets crun set, wrapped for the cgroup view.
    func command(name: String, port: Int, layout: URL) -> [String] {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        // Podman's defaults (nofile 1048576, nproc 4194304) are above what a process here may set without
        // CAP_SYS_RESOURCE: crun's setrlimit fails with EPERM. 32768 processes is what crun was let set here.
        let files = min(Int(limit.rlim_max), 1_048_576)
        var run = [
            "podman", "run", "--rm", "--name", name, "--network", "host", "--ulimit", "nofile=\(files):\(files)",
            "--ulimit", "nproc=32768:32768", "oci:\(layout.path):\(OCIImageBuilder.tag)",
        ]
        run += arguments(port)
        guard Self.needsPrivateCgroupView else { return run }
        return [
            "unshare", "-m", "--propagation", "private", "sh", "-c", "umount /sys/fs/cgroup/unified && exec \"$@\"",
            "sh",
        ]
            + run
    }

    /// Podman names the image after the layout's path and refuses capitals there: the layout gets a lower-case
    /// link, the same for each run of this process, so a second run finds the image in podman's store.
    static var link: URL { FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-image-\(getpid())") }

    /// Removes the image the runs copied into podman's store.
    public func removeImage() {
        _ = try? ToolRun.capture(
            "podman", ["rmi", "--force", "--ignore", "localhost\(Self.link.path):\(OCIImageBuilder.tag)"])
    }

    /// SIGTERM to `podman run`, which passes it to the app; the container removed if it is still there.
    func stop(_ process: Process, name: String) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        _ = try? ToolRun.capture("podman", ["rm", "--force", "--ignore", name])
    }
}
