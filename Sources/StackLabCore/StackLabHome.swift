import Foundation

/// Where StackLab keeps its own things on this machine: runs, the results store, the Python virtual environment
/// that holds the components it installs from PyPI, built apps and the GitHub cache.
///
/// Every reader of `STACKLAB_HOME` goes through here, so that one rule holds: unset or empty means `~/.stacklab`.
public enum StackLabHome {
    /// `$STACKLAB_HOME`, or `~/.stacklab` when it is unset or empty.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["STACKLAB_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".stacklab")
    }

    /// The virtual environment StackLab owns: `$STACKLAB_HOME/venv`, or `~/.stacklab/venv`. Never the system's
    /// Python: packages go in here and nowhere else.
    public static func virtualEnvironment(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        directory(environment: environment).appendingPathComponent("venv")
    }

    /// Where run directories (component logs) are kept: `$STACKLAB_HOME/runs`, or `~/.stacklab/runs`.
    public static func runs(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        directory(environment: environment).appendingPathComponent("runs")
    }
}
