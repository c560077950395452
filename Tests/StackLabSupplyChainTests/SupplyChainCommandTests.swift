import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// What a user sees when `stacklab sbom` or `stacklab image` cannot do what was asked: one line, the file, the
/// line and the key, and a non-zero exit.
struct SupplyChainCommandTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("supply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func unknownAppIsAUsageError() throws {
        let outcome = try BuiltApps.stacklab(["sbom", "perl"])
        #expect(outcome.exitCode == UserError.usageExitCode)
        #expect(outcome.stderr.contains("unknown app 'perl'; one of go, rust, node, bun, swift"))
    }

    /// A broken Cargo.lock in the build directory is reported as FILE:LINE: KEY, nothing written.
    @Test func malformedCargoLockNamesFileLineAndKey() throws {
        let build = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: build) }
        let lock = build.appendingPathComponent("rust/src/Cargo.lock")
        try FileManager.default.createDirectory(at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("version = 3\n\n[[package]]\nname = \"tokio\"\nsource = \"registry+x\"\n".utf8).write(to: lock)
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_BUILD_DIR"] = build.path
        let output = build.appendingPathComponent("rust.cdx.json")
        let outcome = try CommandRunner.run(["sbom", "rust", "-o", output.path], environment: environment)
        #expect(outcome.exitCode != 0)
        #expect(outcome.stderr.contains("\(lock.path):3: package.version: missing"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// A folder with other files in it is never replaced by an image.
    @Test(.enabled(if: BuiltApps.isBuilt(.go), BuiltApps.notBuilt(.go)))
    func imageRefusesAFolderThatIsNotALayout() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let outcome = try BuiltApps.stacklab(["image", "go", "-o", folder.path, "--no-run"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("\(folder.path) is a folder that is not an OCI layout"), "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
    }
}
