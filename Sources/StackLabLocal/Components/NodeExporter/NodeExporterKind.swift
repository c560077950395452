import Foundation
import StackLabCore

/// `kind: node-exporter`: Debian's Prometheus node exporter (1.5) on the component's loopback port, with its
/// default collectors: a scrape target with a real machine's series (~800 here). A metrics backend with a hop to
/// it scrapes it. It takes no settings and is ready when `/metrics` answers.
struct NodeExporterKind: LocalComponentKind {
    var kind: ComponentKind { .nodeExporter }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "node-exporter", kind: .nodeExporter, program: "prometheus-node-exporter",
                origin: .apt(packages: ["prometheus-node-exporter"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        if let key = component.settings.keys.sorted().first {
            throw UserError("component '\(component.name)': unknown setting '\(key)'; node-exporter takes none")
        }
        let source = source(of: component)
        guard let executable = context.locator.executable(for: source) else {
            throw ComponentRecipe.notInstalled(component, source)
        }
        let directory = context.runDirectory.appendingPathComponent(component.name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable,
                arguments: ["--web.listen-address=127.0.0.1:\(context.port)", "--log.level=warn"],
                workingDirectory: directory.path, cpus: context.cpus),
            readiness: .http(port: context.port, path: "/metrics"), port: context.port,
            version: context.locator.version(of: source, executable: executable) ?? "unknown",
            endpoints: [ComponentEndpoint(port: context.port, wireProtocol: .http)])
    }
}
