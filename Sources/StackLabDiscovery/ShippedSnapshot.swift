import Foundation
import StackLabCore

/// The landscape snapshot StackLab ships, read when the user names no file.
public enum ShippedSnapshot {
    /// The shipped file's name; its date is the snapshot's date.
    public static let fileName = "landscape-2026-08-07.yml"

    /// Where the shipped snapshot is: the resource bundle next to the executable (as `swift build` and an
    /// install that copies the bundle along leave it), else the source checkout this binary was built from.
    public static func path() throws -> String {
        // Bundle.main's executable is /proc/self/exe on Linux: right even when the command was found on PATH.
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? ""))
            .resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent().path
        let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        let candidates = [
            "\(directory)/StackLab_StackLabDiscovery.resources/Resources/\(fileName)",
            "\(directory)/../share/stacklab/\(fileName)",
            "\(sourceDirectory)/Resources/\(fileName)",
        ]
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw UserError(
                "the shipped landscape snapshot (\(fileName)) is not next to this executable: pass a landscape.yml")
        }
        return found
    }

    /// The shipped snapshot, parsed.
    public static func load() throws -> Landscape { try Landscape.load(path: path()) }
}
