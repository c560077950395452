import Foundation
import StackLabCore

/// The plan shared by the metrics backends: settings read (``ScrapeSettings``), the scrape configuration written
/// to `<run directory>/<name>/scrape.yml`, an empty `data/` beside it, and the program started on the
/// component's loopback port, ready when its own health endpoint answers.
enum MetricsBackendPlan {
    /// What differs between the backends: where the program comes from, the arguments it takes and the path
    /// that says it is ready.
    struct Program {
        var source: ComponentSource
        var readinessPath: String
        /// Its arguments for a port, a scrape configuration file, a data directory and the settings.
        var arguments: @Sendable (_ port: Int, _ configuration: String, _ data: String, ScrapeSettings) -> [String]
    }

    static let configurationFile = "scrape.yml"

    static func plan(
        _ component: Component, in context: LocalPlanContext, program: Program
    ) throws
        -> LocalComponentPlan
    {
        guard let executable = context.locator.executable(for: program.source) else {
            throw ComponentRecipe.notInstalled(component, program.source)
        }
        let settings = try ScrapeSettings(component, upstreams: context.upstreams)
        let directory = context.runDirectory.appendingPathComponent(component.name)
        let data = directory.appendingPathComponent("data")
        let file = RenderedConfig(
            fileName: configurationFile, text: settings.configurationText(component: component.name))
        let url = directory.appendingPathComponent(file.fileName)
        do {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try file.text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw UserError("component '\(component.name)': cannot write \(url.path): \(error.localizedDescription)")
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable,
                arguments: program.arguments(context.port, url.path, data.path, settings),
                workingDirectory: directory.path, cpus: context.cpus),
            readiness: .http(port: context.port, path: program.readinessPath), port: context.port,
            version: context.locator.version(of: program.source, executable: executable) ?? "unknown",
            configFiles: [file], dataDirectory: data,
            endpoints: [ComponentEndpoint(port: context.port, wireProtocol: .http)])
    }
}
