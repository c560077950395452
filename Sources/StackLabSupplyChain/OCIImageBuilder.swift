import Foundation
import StackLabCore

/// Builds an OCI image layout from local files only (no base image, no registry): the app and exactly what it
/// needs to start, in one layer, with `umoci`.
public struct OCIImageBuilder: Sendable {
    /// One file of the image: where it is here, where it goes in the image.
    public struct Entry: Sendable, Equatable {
        public var source: URL
        public var destination: String

        public init(source: URL, destination: String) {
            self.source = source
            self.destination = destination
        }
    }

    /// The image's tag in its layout (`DIR:latest`).
    public static let tag = "latest"

    public var entries: [Entry]
    /// The command the image runs; the arguments a run adds follow it.
    public var entrypoint: [String]
    public var environment: [String: String]
    public var workingDirectory = "/app"

    public init(entries: [Entry], entrypoint: [String], environment: [String: String] = [:]) {
        self.entries = entries
        self.entrypoint = entrypoint
        self.environment = environment
    }

    /// The image of an executable and its shared-library closure, the library folders on `LD_LIBRARY_PATH` (a
    /// scratch image has no ld.so.cache), plus `extra` files (an interpreter's script and modules).
    public static func executable(
        _ executable: URL, at destination: String, arguments: [String] = [], extra: [Entry] = []
    ) throws -> OCIImageBuilder {
        let libraries = try SharedLibraryClosure.of(executable.path)
        var entries = [Entry(source: executable, destination: destination)]
        entries += libraries.map { Entry(source: URL(fileURLWithPath: $0), destination: $0) }
        entries += extra
        var folders: [String] = []
        for library in libraries {
            let folder = (library as NSString).deletingLastPathComponent
            if !folders.contains(folder) { folders.append(folder) }
        }
        let environment = folders.isEmpty ? [:] : ["LD_LIBRARY_PATH": folders.joined(separator: ":")]
        return OCIImageBuilder(entries: entries, entrypoint: [destination] + arguments, environment: environment)
    }

    /// Writes the image as an OCI layout at `layout`, replacing an OCI layout already there.
    ///
    /// - Throws: `UserError` when `layout` is a non-empty folder that is not an OCI layout, or umoci fails.
    public func build(at layout: URL) throws -> OCIImageFacts {
        let manager = FileManager.default
        if manager.fileExists(atPath: layout.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: layout.path)) ?? []
            guard contents.isEmpty || contents.contains("oci-layout") else {
                throw UserError(
                    "\(layout.path) is a folder that is not an OCI layout; give a new or empty folder", exitCode: 1)
            }
            try manager.removeItem(at: layout)
        }
        let staging = manager.temporaryDirectory.appendingPathComponent("stacklab-image-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: staging) }
        let rootfs = staging.appendingPathComponent("rootfs")
        try stage(into: rootfs)
        let image = "\(layout.path):\(Self.tag)"
        _ = try ToolRun.output("umoci", ["init", "--layout", layout.path])
        _ = try ToolRun.output("umoci", ["new", "--image", image])
        _ = try ToolRun.output("umoci", ["insert", "--image", image, rootfs.path, "/"])
        var config = ["config", "--image", image, "--author", "stacklab", "--config.workingdir", workingDirectory]
        config += entrypoint.flatMap { ["--config.entrypoint", $0] }
        config += environment.sorted { $0.key < $1.key }.flatMap { ["--config.env", "\($0.key)=\($0.value)"] }
        _ = try ToolRun.output("umoci", config)
        _ = try ToolRun.output("umoci", ["gc", "--layout", layout.path])
        return try OCIImageFacts(layout: layout, rootfs: rootfs)
    }

    /// Copies every entry into `rootfs`, symbolic links followed (`cp -RL`), plus an empty `/tmp`.
    func stage(into rootfs: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: rootfs.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        try manager.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: rootfs.appendingPathComponent("tmp").path)
        try manager.createDirectory(
            at: rootfs.appendingPathComponent(workingDirectory), withIntermediateDirectories: true)
        for entry in entries {
            let target = rootfs.appendingPathComponent(entry.destination)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try ToolRun.output("cp", ["-RL", "--preserve=mode", entry.source.path, target.path])
        }
    }
}
