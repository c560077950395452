import StackLabCore

/// `kind: prometheus`: Debian's Prometheus (2.42) as a single node, its TSDB in `<run directory>/<name>/data`,
/// scraping the targets of its ``ScrapeSettings`` (`scrape_interval`, `retention`, `targets`), ready when
/// `/-/ready` answers. Queries go to its HTTP API on the component's port (`/api/v1/query`).
struct PrometheusKind: LocalComponentKind {
    var kind: ComponentKind { .prometheus }
    var sources: [ComponentSource] {
        [
            ComponentSource(
                name: "prometheus", kind: .prometheus, program: "prometheus", origin: .apt(packages: ["prometheus"]))
        ]
    }

    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try MetricsBackendPlan.plan(
            component, in: context,
            program: .init(source: source(of: component), readinessPath: "/-/ready") {
                port, configuration, data, settings in
                [
                    "--config.file=\(configuration)", "--storage.tsdb.path=\(data)",
                    "--storage.tsdb.retention.time=\(settings.retentionHours)h",
                    "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
                ]
            })
    }
}
