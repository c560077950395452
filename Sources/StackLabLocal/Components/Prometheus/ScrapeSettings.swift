import StackLabCore

/// The scrape configuration of a metrics backend (`kind: prometheus`, `kind: victoria-metrics`): its settings
/// (`MetricsBackendSettings`, read in Core so the spec check reports each at its line) and the targets they and
/// its hops give, written once for both so that the two scrape the same targets at the same interval.
///
/// The scrape timeout is the interval, or 10 s when the interval is longer. Synthetic targets
/// (`synthetic_targets`) are started by the run, which adds their ports to `targets` before the backend is planned.
struct ScrapeSettings: Equatable {
    var scrapeIntervalMilliseconds = 15_000
    var retentionHours = 15 * 24
    /// `host:port` of every target, the hops' first, in the file's order.
    var targets: [String] = []

    /// The scrape timeout: the interval, at most 10 s (Prometheus refuses a timeout longer than the interval).
    var scrapeTimeoutMilliseconds: Int { min(scrapeIntervalMilliseconds, 10_000) }

    /// Reads `component`'s settings; `upstreams` are the endpoints of the components it has hops to.
    ///
    /// - Throws: `UserError` naming the component and the setting, for an unknown setting or a bad value.
    init(_ component: Component, upstreams: [ComponentEndpoint]) throws {
        let (settings, problems) = MetricsBackendSettings.read(component.settings, kind: component.kind)
        if let problem = problems.first {
            throw UserError("component '\(component.name)': \(problem.message)")
        }
        scrapeIntervalMilliseconds = settings.scrapeIntervalMilliseconds
        retentionHours = settings.retentionHours
        targets = upstreams.map { "127.0.0.1:\($0.port)" } + settings.targets
    }

    /// A duration as Prometheus and VictoriaMetrics read it: `15s`, `1500ms`.
    static func durationText(milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// The scrape configuration both backends read (Prometheus's format, which VictoriaMetrics'
    /// `-promscrape.config` takes): one job, `stacklab`, with every target.
    func configurationText(component: String) -> String {
        var lines = [
            "# Written by StackLab for component '\(component)'.",
            "global:",
            "  scrape_interval: \(Self.durationText(milliseconds: scrapeIntervalMilliseconds))",
            "  scrape_timeout: \(Self.durationText(milliseconds: scrapeTimeoutMilliseconds))",
        ]
        if targets.isEmpty {
            lines.append("scrape_configs: []")
        } else {
            lines += [
                "scrape_configs:",
                "  - job_name: stacklab",
                "    static_configs:",
                "      - targets: [" + targets.map { "'\($0)'" }.joined(separator: ", ") + "]",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
