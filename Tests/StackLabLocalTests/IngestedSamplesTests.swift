import StackLabCore
import Testing

@testable import StackLabLocal

/// A metrics backend's own counter of samples ingested, read from its exposition text.
struct IngestedSamplesTests {
    @Test func readsEachBackendsCounter() {
        let prometheus = """
            # TYPE prometheus_tsdb_head_samples_appended_total counter
            prometheus_tsdb_head_samples_appended_total{type="float"} 1200
            prometheus_tsdb_head_samples_appended_total{type="histogram"} 0
            prometheus_tsdb_head_samples_appended_total_other 7
            """
        #expect(IngestedSamples(exposition: prometheus, kind: .prometheus)?.total == 1200)
        let victoria = """
            vm_rows_inserted_total{type="graphite"} 5
            vm_rows_inserted_total{type="promscrape"} 4.2e+06
            """
        #expect(IngestedSamples(exposition: victoria, kind: .victoriaMetrics)?.total == 4_200_000)
        #expect(IngestedSamples(exposition: "up 1\n", kind: .prometheus) == nil)
        #expect(IngestedSamples(exposition: prometheus, kind: .redis) == nil)
    }

    @Test func readsEachBackendsActiveSeries() {
        let prometheus = """
            prometheus_tsdb_head_samples_appended_total{type="float"} 1200
            prometheus_tsdb_head_series 8011
            prometheus_tsdb_head_series_created_total 9000
            """
        #expect(IngestedSamples(exposition: prometheus, kind: .prometheus)?.activeSeries == 8011)
        let victoria = """
            vm_rows_inserted_total{type="promscrape"} 10
            vm_cache_entries{type="storage/hour_metric_ids"} 0
            vm_cache_entries{type="storage/tsid"} 8012
            """
        #expect(IngestedSamples(exposition: victoria, kind: .victoriaMetrics)?.activeSeries == 8012)
        // A backend without the gauge still has its samples counted.
        let bare = IngestedSamples(exposition: "vm_rows_inserted_total{type=\"promscrape\"} 10", kind: .victoriaMetrics)
        #expect(bare?.total == 10 && bare?.activeSeries == nil)
    }

    /// The rate a backend scraping only the synthetic targets should ingest: their series and its own per scrape.
    @Test func expectsWhatTheSyntheticTargetsServe() {
        let settings = ["synthetic_targets": "10", "synthetic_series": "800", "scrape_interval": "5s"]
        let prometheus = Component(name: "p", kind: .prometheus, settings: settings)
        #expect(MetricsBackendPlan.expectedSamplesPerSecond(prometheus, scraping: 10) == 1_610)
        let victoria = Component(name: "v", kind: .victoriaMetrics, settings: settings)
        #expect(MetricsBackendPlan.expectedSamplesPerSecond(victoria, scraping: 10) == 1_612)
        // Another target beside them (a hop, a `targets` address) serves series nobody counted.
        #expect(MetricsBackendPlan.expectedSamplesPerSecond(prometheus, scraping: 11) == nil)
        #expect(
            MetricsBackendPlan.expectedSamplesPerSecond(Component(name: "p", kind: .prometheus), scraping: 0) == nil)
    }

    @Test func readsAChunkedBody() {
        let body = Array("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".utf8)
        #expect(IngestedSamples.dechunked(body) == "hello world")
    }
}
