import StackLabCore

/// `kind: victoria-metrics` (a file may write `victoriametrics`): Debian's VictoriaMetrics single node (1.79),
/// its storage in `<run directory>/<name>/data`, scraping the targets of its ``ScrapeSettings`` with its own
/// scraper (`-promscrape.config`, the same file as Prometheus's), ready when `/health` answers.
///
/// `-search.latencyOffset=0s`: by default VictoriaMetrics hides the last 30 s of samples from queries; off, an
/// instant query answers from the same samples as Prometheus's (each backend still scrapes at its own instants).
struct VictoriaMetricsKind: LocalComponentKind {
    var kind: ComponentKind { .victoriaMetrics }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "victoria-metrics", kind: .victoriaMetrics, program: "victoria-metrics",
                origin: .apt(packages: ["victoria-metrics"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try MetricsBackendPlan.plan(
            component, in: context,
            program: .init(source: source(of: component), readinessPath: "/health") {
                port, configuration, data, settings in
                [
                    "-httpListenAddr=127.0.0.1:\(port)", "-storageDataPath=\(data)",
                    "-retentionPeriod=\(settings.retentionHours)h", "-promscrape.config=\(configuration)",
                    "-search.latencyOffset=0s", "-loggerLevel=WARN",
                ]
            })
    }
}
