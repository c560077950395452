import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The nats recipe: what it writes, and a JetStream server started from it keeping its store in the run directory.
@Suite(.serialized)
struct NATSRecipeTests {
    func component(_ settings: [String: String] = [:]) -> Component {
        Component(name: "bus", kind: .nats, settings: settings, resources: Resources(both: .init(cpu: 1)))
    }

    @Test func configurationListensOnLoopbackWithItsFilesInTheRunDirectory() throws {
        let directory = URL(fileURLWithPath: "/tmp/run/bus")
        let core = try NATSRecipe.configuration(component(), port: 24222, monitorPort: 28222, directory: directory)
        let lines = core.split(separator: "\n").map(String.init)
        #expect(lines.contains("listen: \"127.0.0.1:24222\""))
        #expect(lines.contains("http: \"127.0.0.1:28222\""))
        #expect(!core.contains("jetstream") && !core.contains("authorization"))

        let full = try NATSRecipe.configuration(
            component(["jetstream": "true", "user": "lab", "password": "pw", "max_pending": "64Ki"]), port: 1,
            monitorPort: 2, directory: directory)
        #expect(full.contains("jetstream { store_dir: \"/tmp/run/bus/jetstream\" }"))
        #expect(full.contains("authorization { user: \"lab\", password: \"pw\" }"))
        // A largest message no larger than what the server holds for one client, or it refuses to start.
        #expect(full.contains("max_pending: 65536") && full.contains("max_payload: 65536"))
    }

    @Test(arguments: [
        (["jetstream": "yes"], "component 'bus': jetstream 'yes' is not true or false"),
        (["user": "lab"], "component 'bus': give both user and password, or neither"),
        (
            ["max_pending": "lots"],
            "component 'bus': max_pending 'lots' is not a memory amount between 1Ki and 1Gi, e.g. 1Mi"
        ),
        (
            ["max_payload": "2Mi", "max_pending": "1Mi"],
            "component 'bus': max_payload must not be more than max_pending"
        ),
        (
            ["streams": "3"],
            "component 'bus': unknown setting 'streams'; nats takes jetstream, user, password, max_payload, max_pending, "
                + "durability"
        ),
        (["durability": "always"], "component 'bus': durability 'always' is not true or false"),
    ])
    func badSettingsAreOneLine(_ settings: [String: String], _ message: String) {
        let error = #expect(throws: UserError.self) {
            try NATSRecipe.configuration(
                component(settings), port: 1, monitorPort: 2, directory: URL(fileURLWithPath: "/tmp/bus"))
        }
        #expect(error?.message == message)
    }

    @Test(.enabled(if: NATSServer.isInstalled, "\(NATSServer.missing)"))
    func jetStreamKeepsItsStoreInTheRunDirectory() async throws {
        let run = makeRunDirectory("nats-jetstream")
        defer { try? FileManager.default.removeItem(at: run) }
        let supervisor = try ProcessSupervisor(runDirectory: run)
        let ports = PortAllocator()
        let plan = try NATSKind().plan(
            component(["jetstream": "true"]),
            in: LocalPlanContext(port: try ports.next(), binDirectory: run, runDirectory: run, ports: ports))
        #expect(plan.endpoints.first?.wireProtocol == .nats)
        #expect(plan.version.hasPrefix("2."))
        _ = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(20))
        var isDirectory: ObjCBool = false
        let store = run.appendingPathComponent("bus/jetstream").path
        #expect(FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory) && isDirectory.boolValue)
        await supervisor.stopAll()
    }
}
