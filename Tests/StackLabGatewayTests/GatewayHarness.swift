import Foundation
import StackLabCore
import StackLabLocal
import StackLabTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Starts real gateways from their StackLab recipes in front of a real upstream, and checks what is left after.
///
/// Gateways are found as `stacklab run` finds them: StackLab's venv (`$STACKLAB_HOME/venv` or
/// `~/.stacklab/venv`), PATH and Debian's system directories. `scripts/test.sh` installs all five with
/// `stacklab install`, so none of these tests is skipped there.
enum Gateways {
    /// Every registered gateway kind: a new one is tested by being registered.
    static let kinds: [ComponentKind] = LocalComponents.all.map(\.kind).filter(\.isGateway)
    static let locator = ComponentLocator()

    static func isInstalled(_ kind: ComponentKind) -> Bool {
        locator.executable(for: ComponentSource.of(Component(name: kind.rawValue, kind: kind))) != nil
    }

    /// Whether `kind` is installed; when it is not, the test fails with the command that installs it.
    static func requireInstalled(_ kind: ComponentKind) -> Bool {
        guard !isInstalled(kind) else { return true }
        Issue.record(
            "\(kind.rawValue) is not installed: run 'stacklab install \(kind.rawValue)' (scripts/test.sh does)")
        return false
    }

    static var opensslInstalled: Bool { NginxServer.opensslInstalled }

    /// A fresh run directory for one test.
    static func runDirectory(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-gateway-tests/\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// One gateway started by a test, with the supervisor that owns it.
struct RunningGateway {
    var plan: LocalComponentPlan
    var child: ChildProcess
    var supervisor: ProcessSupervisor

    var port: Int { plan.port }
    var directory: URL { supervisor.runDirectory.appendingPathComponent(plan.component.name) }
    var certificate: String { directory.appendingPathComponent("tls/cert.pem").path }

    /// Plans and starts `kind` on a free port in front of `upstreamPort`, one worker, and waits until ready.
    static func start(
        _ kind: ComponentKind, upstreamPort: Int, tls: Bool = false, settings: [String: String] = [:],
        name: String = #function
    ) async throws -> RunningGateway {
        let supervisor = try ProcessSupervisor(runDirectory: Gateways.runDirectory(name), grace: .seconds(5))
        let ports = PortAllocator()
        let component = Component(
            name: kind.rawValue, kind: kind, tls: tls, settings: settings, resources: Resources(both: .init(cpu: 1)))
        let plan = try ComponentRecipe.plan(
            component, port: try ports.next(), upstreamPort: upstreamPort,
            binDirectory: URL(fileURLWithPath: "/nonexistent"), runDirectory: supervisor.runDirectory, cpus: nil,
            ports: ports)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
        return RunningGateway(plan: plan, child: child, supervisor: supervisor)
    }

    /// Stops the gateway and checks that no process of it is left: not the one started, not any it forked
    /// (nginx's workers), nothing in its process group.
    func stopLeavingNothing() async {
        let forked = ProcessTree.descendants(of: child.pid)
        await supervisor.stop(child)
        let leftovers = ([child.pid] + forked).filter(ProcessTree.isRunning) + ProcessTree.groupMembers(child.pid)
        #expect(leftovers.isEmpty, "\(plan.component.name) left processes running: \(leftovers)")
    }
}
