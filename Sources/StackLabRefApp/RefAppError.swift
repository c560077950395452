/// A problem the person starting the reference app can fix: a bad flag, an unusable database.
///
/// The executable prints `message` as one line on stderr and exits with `exitCode`, never a stack trace.
public struct RefAppError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Exit code for bad command-line input, as `stacklab` uses.
    public static let usageExitCode: Int32 = 2
    /// Exit code for a failure after the input was accepted (the port is taken, the database is unreachable).
    public static let runtimeExitCode: Int32 = 1

    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = RefAppError.usageExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
