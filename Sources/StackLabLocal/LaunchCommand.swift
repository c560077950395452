import Foundation
import StackLabCore

/// What to start for a component: its program, arguments, environment and working directory.
public struct LaunchCommand: Sendable, Equatable {
    /// Names the component in logs, errors and log files (`<name>.out.log`); letters, digits, `.`, `_` and
    /// `-` only, and unique among a supervisor's running children.
    public var name: String
    /// A path, or a program name looked up on the `PATH` of `environment`.
    public var executable: String
    public var arguments: [String]
    /// The child's whole environment.
    public var environment: [String: String]
    /// Where the child starts; the supervisor's run directory when nil.
    public var workingDirectory: String?
    /// CPUs to confine the child to (with `taskset`); nil leaves it unpinned.
    public var cpus: CPUSet?
    /// CPU and memory limits (and CPU request) to enforce on the child with cgroups; nil for none.
    public var resources: Resources?

    /// - Parameter environment: the child's whole environment; this process's own by default.
    public init(
        name: String, executable: String, arguments: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment, workingDirectory: String? = nil,
        cpus: CPUSet? = nil
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.cpus = cpus
    }

    /// Whether `name` can be used as a file name prefix as is.
    var hasUsableName: Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }
}
