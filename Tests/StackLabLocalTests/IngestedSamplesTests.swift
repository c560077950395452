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

    @Test func readsAChunkedBody() {
        let body = Array("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".utf8)
        #expect(IngestedSamples.dechunked(body) == "hello world")
    }
}
