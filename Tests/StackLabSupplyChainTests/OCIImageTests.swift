import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab image` on the apps built here: umoci and skopeo read the layout it writes, its figures match the
/// layout, and where podman runs, the image serves /json on loopback.
@Suite(.serialized, .enabled(if: ImageTools.isInstalled, ImageTools.missing))
struct OCIImageTests {
    /// Builds APP's image into a new folder (without running it unless `run`) and returns the folder and output.
    static func image(_ runtime: AppRuntime, run: Bool = false) throws -> (layout: URL, output: String) {
        let layout = FileManager.default.temporaryDirectory.appendingPathComponent("image-\(UUID().uuidString)")
        let outcome = try BuiltApps.stacklab(
            ["image", runtime.rawValue, "-o", layout.path] + (run ? ["--runs", "1"] : ["--no-run"]))
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\(outcome.stderr)")
        return (layout, outcome.stdout)
    }

    /// The number the output prints after `label`.
    static func figure(_ label: String, in output: String) -> Int? {
        output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + " ") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
    }

    /// skopeo and umoci read the layout; one layer; Go's static executable is the image's only file.
    @Test(.enabled(if: BuiltApps.isBuilt(.go), BuiltApps.notBuilt(.go)))
    func goImageIsAValidLayoutWithOneFile() throws {
        let (layout, output) = try Self.image(.go)
        defer { try? FileManager.default.removeItem(at: layout) }
        let inspect = try ImageTools.run("skopeo", ["inspect", "oci:\(layout.path):latest"])
        #expect(inspect.status == 0, "\(inspect.output)")
        let info = try JSONSerialization.jsonObject(with: Data(inspect.output.utf8)) as? [String: Any]
        #expect((info?["Layers"] as? [String])?.count == 1)
        let stat = try ImageTools.run("umoci", ["stat", "--image", "\(layout.path):latest"])
        #expect(stat.status == 0 && stat.output.contains("umoci insert"), "\(stat.output)")
        #expect(Self.figure("layers", in: output) == 1)
        #expect(Self.figure("files", in: output) == 1)
        // The compressed image is smaller than the executable it holds, and the blobs on disk add up to it.
        let executable =
            try FileManager.default.attributesOfItem(
                atPath: BuiltApps.buildDirectory(.go).appendingPathComponent("stacklab-go").path)[.size] as? Int ?? 0
        let size = Self.figure("size", in: output) ?? 0
        #expect(size > 0 && size < executable)
        #expect(Self.figure("unpacked", in: output) == executable)
    }

    /// Rust's executable links libc and libgcc_s: the image holds them and the dynamic loader.
    @Test(.enabled(if: BuiltApps.isBuilt(.rust), BuiltApps.notBuilt(.rust)))
    func rustImageHoldsItsSharedLibraryClosure() throws {
        let (layout, output) = try Self.image(.rust)
        defer { try? FileManager.default.removeItem(at: layout) }
        let ldd = try ImageTools.run(
            "ldd", [BuiltApps.buildDirectory(.rust).appendingPathComponent("stacklab-rust").path])
        let libraries = ldd.output.split(separator: "\n").filter { $0.contains("/") }.count
        #expect(Self.figure("files", in: output) == 1 + libraries)
        let unpacked = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: unpacked) }
        let unpack = try ImageTools.run("umoci", ["unpack", "--image", "\(layout.path):latest", unpacked.path])
        #expect(unpack.status == 0, "\(unpack.output)")
        let rootfs = unpacked.appendingPathComponent("rootfs")
        for path in ["app/stacklab-rust", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6"] {
            #expect(FileManager.default.fileExists(atPath: rootfs.appendingPathComponent(path).path), "\(path)")
        }
    }

    /// Started by podman with the host's loopback, the app answers GET /json correctly.
    @Test(
        .enabled(if: BuiltApps.isBuilt(.go), BuiltApps.notBuilt(.go)),
        .enabled(if: ImageTools.hasPodman, "needs podman (scripts/test.sh installs it)"))
    func goImageServesJSONUnderPodman() throws {
        let (layout, output) = try Self.image(.go, run: true)
        defer { try? FileManager.default.removeItem(at: layout) }
        #expect(output.contains("first correct GET /json"), "\(output)")
        let leftover = try ImageTools.run("podman", ["ps", "-a", "--format", "{{.Names}}"])
        #expect(!leftover.output.contains("stacklab-image-"))
    }

    /// The Node.js image: node, its libraries, server.js and the pg modules; it serves under podman too.
    @Test(
        .enabled(if: BuiltApps.isBuilt(.node), BuiltApps.notBuilt(.node)),
        .enabled(if: ImageTools.hasPodman, "needs podman (scripts/test.sh installs it)"))
    func nodeImageServesJSONUnderPodman() throws {
        let (layout, output) = try Self.image(.node, run: true)
        defer { try? FileManager.default.removeItem(at: layout) }
        #expect((Self.figure("files", in: output) ?? 0) > 10)
        #expect(output.contains("first correct GET /json"), "\(output)")
    }
}

/// umoci and skopeo (Debian), and whether podman is there.
enum ImageTools {
    static let isInstalled = ["umoci", "skopeo"].allSatisfy { (try? run("which", [$0]).status) == 0 }
    static let hasPodman = (try? run("which", ["podman"]).status) == 0
    static let missing: Comment = "needs umoci and skopeo (scripts/test.sh installs them with apt-get)"

    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
