import Foundation

/// The end of a component's logs, for error messages: usually the line that says why it failed.
enum LogTail {
    /// The last `count` lines of the file (read from its last 64 KiB); empty when it is missing or empty.
    static func lastLines(of url: URL, count: Int) -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 65536 ? size - 65536 : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return Array(lines.suffix(count))
    }

    /// stderr's tail, then stdout's, each under a header naming its file.
    static func render(_ child: ChildProcess, lines: Int) -> String {
        var parts: [String] = []
        for url in [child.standardErrorLog, child.standardOutputLog] {
            let tail = lastLines(of: url, count: lines)
            guard !tail.isEmpty else { continue }
            parts.append("--- last \(tail.count) lines of \(url.path) ---\n" + tail.joined(separator: "\n"))
        }
        if parts.isEmpty {
            return
                "(\(child.name) wrote nothing to \(child.standardErrorLog.path) or \(child.standardOutputLog.lastPathComponent))"
        }
        return parts.joined(separator: "\n")
    }
}
