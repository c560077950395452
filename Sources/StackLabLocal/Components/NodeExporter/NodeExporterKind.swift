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
        return try MetricsBackendPlan.plan(
            component, in: context, source: source(of: component), readinessPath: "/metrics",
            arguments: ["--web.listen-address=127.0.0.1:\(context.port)", "--log.level=warn"])
    }
}
