import Foundation
import StackLabCore

/// What a kind's plan is given: its port, the endpoint of what it sends to, and where it keeps its files.
public struct LocalPlanContext: Sendable {
    /// The loopback port it serves on.
    public var port: Int
    /// The next component of the stack, as that component's plan offers itself: what a gateway forwards to,
    /// the database an app uses. Nil for the last of a stack.
    public var upstream: ComponentEndpoint?
    /// Where StackLab's own executables (`stacklab-refapp`) are.
    public var binDirectory: URL
    /// Where the component keeps its files (`<run directory>/<name>/`: configuration, data, certificates).
    public var runDirectory: URL
    public var cpus: CPUSet?
    /// Hands out the extra loopback ports a kind needs (a gateway's readiness port).
    public var ports: PortAllocator
    /// Finds installed programs: StackLab's venv, PATH, Debian's system directories, `binDirectory`.
    public var locator: ComponentLocator

    public init(
        port: Int, upstream: ComponentEndpoint? = nil, binDirectory: URL, runDirectory: URL, cpus: CPUSet? = nil,
        ports: PortAllocator? = nil, locator: ComponentLocator? = nil
    ) {
        self.port = port
        self.upstream = upstream
        self.binDirectory = binDirectory
        self.runDirectory = runDirectory
        self.cpus = cpus
        self.ports = ports ?? PortAllocator()
        self.locator = locator ?? ComponentLocator(binDirectory: binDirectory)
    }
}
