import Foundation
import Testing

@testable import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// `report -o PATH` and `load --json/--csv/--hgrm PATH` write what is at the path as it is meant to be written:
/// a device or a FIFO stays one, a symlink stays a symlink, a directory is refused.
struct OutputFileTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-output-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    @Test func aCharacterDeviceIsWrittenAndStaysADevice() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // A null device of our own, as /dev/null is (major 1, minor 3), so the real one is never at stake.
        let null = path("null")
        guard mknod(null, S_IFCHR | 0o666, dev_t(0x103)) == 0 else {
            // Not root, or a container without CAP_MKNOD: the FIFO test covers writing in place.
            return
        }
        try OutputFile.write(Data("report".utf8), to: null)
        #expect(Self.kind(null) == S_IFCHR)
        #expect(OutputFile.isRegularOrNew(null) == false)
    }

    @Test func aFIFOIsWrittenInPlace() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Task.detached { () -> Data? in FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() }
        try OutputFile.write(Data("through the pipe".utf8), to: fifo)
        let read = await reader.value
        #expect(read == Data("through the pipe".utf8))
        #expect(Self.kind(fifo) == S_IFIFO)
    }

    @Test func aSymlinkIsFollowedAndKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = path("target.json")
        let link = path("link.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.json")
        try OutputFile.write(Data("new".utf8), to: link)
        #expect(Self.kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")

        // A dangling link makes its target.
        let dangling = path("dangling.json")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: path("made.json"))
        try OutputFile.write(Data("made".utf8), to: dangling)
        #expect(Self.kind(dangling) == S_IFLNK)
        #expect(try String(contentsOfFile: path("made.json"), encoding: .utf8) == "made")
    }

    @Test func aDirectoryIsRefusedAndARegularFileReplaced() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: UserError.self) { try OutputFile.write(Data("x".utf8), to: directory.path) }
        #expect(error?.message == "cannot write \(directory.path): it is a directory; give a file name")
        #expect(error?.exitCode == 1)

        let file = path("report.md")
        try OutputFile.write(Data("one".utf8), to: file)
        try OutputFile.write(Data("two".utf8), to: file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
        #expect(Self.kind(file) == S_IFREG)
        let missing = #expect(throws: UserError.self) {
            try OutputFile.write(Data("x".utf8), to: path("no/such/dir/report.md"))
        }
        #expect(missing?.message.hasPrefix("cannot write ") == true)
    }
}
