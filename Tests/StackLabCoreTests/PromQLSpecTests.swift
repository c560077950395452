import Testing

@testable import StackLabCore

/// `protocol: promql` workloads and the metrics backends' settings: a workload per query, the fixed set by
/// default, the request each query is, and the mistakes named at their line and key.
struct PromQLSpecTests {
    static let yaml = """
        name: metrics
        workloads:
          queries:
            protocol: promql
            rate: 20/s
            duration: 10s
          custom:
            protocol: promql
            queries:
              up: up
              cpu: { query: "sum(rate(x[5m]))", range: 30m, step: 1m }
            rate: 5
        components:
          prom: { kind: prometheus, settings: { scrape_interval: 1s, synthetic_targets: 4, synthetic_series: 200 } }
          vm: { kind: victoria-metrics, settings: { scrape_interval: 1s, synthetic_targets: 4 } }
          app: { kind: app, runtime: swift }
        variants:
          prometheus: [prom]
          victoria: [vm]
        """

    @Test func everyQueryIsAWorkloadOfItsOwnOnTheBackends() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        let workloads = try #require(spec.workloads)
        #expect(
            workloads.map(\.name) == [
                "queries-selector", "queries-rate", "queries-sum-by-series", "queries-range-1h", "queries-topk",
                "queries-histogram-quantile", "custom-up", "custom-cpu",
            ])
        #expect(workloads.allSatisfy { $0.workload.wireProtocol == .promql && $0.workload.queries?.count == 1 })
        #expect(spec.variantsByWorkload.allSatisfy { $0.variants == ["prometheus", "victoria"] })
        let range = try #require(workloads[3].workload.queries?.first)
        #expect(range.rangeSeconds == 3600 && range.stepSeconds == 15)
        let custom = try #require(workloads.last?.workload.queries?.first)
        #expect(custom == PromQLQuery(name: "cpu", expression: "sum(rate(x[5m]))", rangeSeconds: 1800, stepSeconds: 60))
        #expect(workloads[6].workload.summary.hasPrefix("promql up: up, 5/s"))
    }

    @Test func aSingleWorkloadIsNamedByItsQueries() throws {
        let yaml = """
            name: one
            workload: { protocol: promql, queries: { up: up, scraped: scrape_samples_scraped }, rate: 10 }
            components:
              prom: { kind: prometheus }
            variants:
              prom: [prom]
            """
        let spec = try ExperimentSpec(yaml: yaml, file: "e.yaml")
        #expect(spec.workloads?.map(\.name) == ["up", "scraped"])
        #expect(spec.workload.queries == [PromQLQuery(name: "up", expression: "up")])
    }

    @Test func eachQueryIsOneGETOfTheAPI() {
        let instant = PromQLQuery(name: "q", expression: "sum by (le) (x{a=\"b\"}) + 1")
        #expect(
            instant.path(endingAt: 1000)
                == "/api/v1/query?query=sum%20by%20%28le%29%20%28x%7Ba%3D%22b%22%7D%29%20%2B%201")
        let range = PromQLQuery(name: "r", expression: "up", rangeSeconds: 3600)
        #expect(range.stepSeconds == 15)
        #expect(range.path(endingAt: 10_000) == "/api/v1/query_range?query=up&start=6400&end=10000&step=15")
    }

    @Test func theSyntheticTargetsAreReadFromTheBackendsSettings() {
        let read = MetricsBackendSettings.read(
            ["synthetic_targets": "3", "synthetic_series": "100", "synthetic_churn": "1m", "scrape_interval": "500ms"],
            kind: .prometheus)
        #expect(read.problems.isEmpty)
        #expect(read.settings.scrapeIntervalMilliseconds == 500)
        let synthetic = read.settings.synthetic
        #expect(synthetic?.count == 3 && synthetic?.series == 100 && synthetic?.churnPeriodSeconds == 60)
        #expect(synthetic?.labelCardinality == 10 && synthetic?.churnShare == 0.1)
        #expect(MetricsBackendSettings.read(["synthetic_targets": "0"], kind: .prometheus).settings.synthetic == nil)
    }

    @Test(arguments: [
        (
            "scrape_interval: 1s, synthetic_targets: 4, synthetic_series: 200",
            "scrape_interval: 0, synthetic_targets: 4, synthetic_series: 200",
            "e.yaml:14: components.prom.settings.scrape_interval: scrape_interval '0' must be at least 1ms"
        ),
        (
            "scrape_interval: 1s, synthetic_targets: 4 }", "scrape_interval: 1s, synthetic_targets: 4, retention: 2 }",
            "e.yaml:15: components.vm.settings.retention: retention '2' is not a whole number"
        ),
        (
            "synthetic_series: 200", "synthetic_series: 2",
            "e.yaml:14: components.prom.settings.synthetic_series: synthetic_series '2' must be a whole number from 4"
        ),
        (
            "synthetic_targets: 4 }", "synthetic_shards: 4 }",
            "e.yaml:15: components.vm.settings.synthetic_shards: synthetic_shards shapes synthetic targets"
        ),
        (
            "synthetic_targets: 4 }", "scrape: 1s }",
            "e.yaml:15: components.vm.settings.scrape: unknown setting 'scrape'; victoria-metrics takes"
        ),
        ("range: 30m, step: 1m", "step: 1m", "e.yaml:11: workloads.custom.queries.cpu.step: only with range"),
        ("range: 30m, step: 1m", "range: 1m, step: 2m", "e.yaml:11: workloads.custom.queries.cpu.step: is longer"),
        ("range: 30m, step: 1m", "range: 1500ms", "e.yaml:11: workloads.custom.queries.cpu.range: must be whole"),
        ("up: up", "up: ''", "e.yaml:10: workloads.custom.queries.up: empty; give a PromQL query"),
        ("up: up", "u p: up", "e.yaml:10: workloads.custom.queries.u p: 'u p' may hold only letters"),
        ("rate: 20/s", "rate: 20/s\n    path: /json", "e.yaml:6: workloads.queries.path: not a key of protocol promql"),
        (
            "prometheus: [prom]\n  victoria: [vm]", "app: [app]",
            "e.yaml:3: workloads.queries: workload 'queries' (protocol promql) runs on no variant; add a variant "
                + "that starts with a component of kind prometheus or victoria-metrics"
        ),
    ])
    func mistakesNameTheirLineAndKey(_ original: String, _ replacement: String, _ expected: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(yaml != Self.yaml)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix(expected) }, "\(error.lines)")
    }

    @Test func queriesAreOnlyForPromQL() throws {
        let yaml = """
            name: web
            workload: { path: /json, rate: 10, queries: { up: up } }
            components:
              app: { kind: app, runtime: swift }
            variants:
              app: [app]
            """
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix("e.yaml:2: workload.queries: only with protocol: promql") })
    }
}
