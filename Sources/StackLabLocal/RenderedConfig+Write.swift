import Foundation
import StackLabCore

extension RenderedConfig {
    /// Writes the file into `directory`, creating the directory (and `subdirectories` of it) when missing.
    ///
    /// - Returns: the file's path.
    /// - Throws: `UserError` naming `component` and the file when it cannot be written.
    @discardableResult
    func write(into directory: URL, component: String, subdirectories: [String] = []) throws -> URL {
        let file = directory.appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in subdirectories {
                try FileManager.default.createDirectory(
                    at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
            }
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw UserError("component '\(component)': cannot write \(file.path): \(error.localizedDescription)")
        }
        return file
    }
}
