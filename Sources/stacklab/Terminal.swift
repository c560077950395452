import Foundation

/// Writing to the terminal: errors on stderr, and a live line that rewrites itself on a TTY.
enum Terminal {
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1

    static func error(_ message: String) {
        let text = message.hasPrefix("stacklab: ") ? message : "stacklab: " + message
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Progress on stderr: rewritten in place on a terminal, one plain line each otherwise.
    static func progress(_ line: String) {
        let text = stderrIsTTY ? "\r\u{1B}[2K" + line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// A line of progress that stays (a finished trial), on stderr.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Ends a live line so the next output starts on a clean line.
    static func endProgress() {
        if stderrIsTTY { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
