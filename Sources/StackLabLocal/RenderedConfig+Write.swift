import Foundation
import StackLabCore

extension RenderedConfig {
    /// Writes the file into `directory` (made when missing) and returns where it went.
    ///
    /// - Throws: `UserError` naming `component` and the file.
    @discardableResult
    func write(in directory: URL, component: String) throws -> URL {
        let file = directory.appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw UserError("component '\(component)': cannot write \(file.path): \(error.localizedDescription)")
        }
        return file
    }
}
