/// A mistake the user can fix: bad input, an unreachable target, a missing file.
///
/// The executable prints `message` as one line on stderr and exits with `exitCode`;
/// it never shows a stack trace for one of these.
public struct UserError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Exit code for invalid command-line input or an unusable target.
    public static let usageExitCode: Int32 = 2

    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = UserError.usageExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
