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
        let settings = try ScrapeSettings(component, upstreams: context.upstreams)
        let directory = context.runDirectory.appendingPathComponent(component.name)
        let configuration = directory.appendingPathComponent(configurationFile).path
        let data = directory.appendingPathComponent("data")
        var planned = try plan(
            component, in: context, source: program.source, readinessPath: program.readinessPath,
            configFiles: [
                RenderedConfig(fileName: configurationFile, text: settings.configurationText(component: component.name))
            ],
            dataDirectory: data,
            arguments: program.arguments(context.port, configuration, data.path, settings))
        planned.expectedSamplesPerSecond = expectedSamplesPerSecond(component, scraping: settings.targets.count)
        return planned
    }

    /// The samples per second `component` should ingest when the `scraped` targets it scrapes are all StackLab's
    /// synthetic ones (the run added their ports to `targets`, and it has no hops): each serves `synthetic_series`
    /// samples per scrape, and the backend adds its own series per scrape. Nil when it scrapes anything else.
    static func expectedSamplesPerSecond(_ component: Component, scraping scraped: Int) -> Double? {
        let settings = MetricsBackendSettings.read(component.settings, kind: component.kind).settings
        guard let synthetic = settings.synthetic, scraped == synthetic.count, settings.scrapeIntervalMilliseconds > 0
        else { return nil }
        let perScrape = synthetic.series + IngestedSamples.extraSamplesPerScrape(of: component.kind)
        return Double(synthetic.count * perScrape) * 1000 / Double(settings.scrapeIntervalMilliseconds)
    }

    /// Plans one observability program on the component's loopback port: found installed, its directory
    /// `<run directory>/<name>/` made (and `dataDirectory`), its configuration files written there, ready when
    /// `readinessPath` answers over HTTP.
    static func plan(
        _ component: Component, in context: LocalPlanContext, source: ComponentSource, readinessPath: String,
        configFiles: [RenderedConfig] = [], dataDirectory: URL? = nil, arguments: [String]
    ) throws -> LocalComponentPlan {
        guard let executable = context.locator.executable(for: source) else {
            throw ComponentRecipe.notInstalled(component, source)
        }
        let directory = context.runDirectory.appendingPathComponent(component.name)
        do {
            try FileManager.default.createDirectory(at: dataDirectory ?? directory, withIntermediateDirectories: true)
            for file in configFiles {
                try file.text.write(
                    to: directory.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
            }
        } catch {
            throw UserError(
                "component '\(component.name)': cannot write \(directory.path): \(error.localizedDescription)")
        }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable, arguments: arguments, workingDirectory: directory.path,
                cpus: context.cpus),
            readiness: .http(port: context.port, path: readinessPath), port: context.port,
            version: context.locator.version(of: source, executable: executable) ?? "unknown",
            configFiles: configFiles, dataDirectory: dataDirectory,
            endpoints: [ComponentEndpoint(port: context.port, wireProtocol: .http)])
    }
}
