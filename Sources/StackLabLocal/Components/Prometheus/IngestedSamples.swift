import StackLabCore

/// Samples a metrics backend says it has ingested, and the series it holds active, read from its own `/metrics`:
/// Prometheus's `prometheus_tsdb_head_samples_appended_total` and `prometheus_tsdb_head_series`, VictoriaMetrics'
/// `vm_rows_inserted_total{type="promscrape"}` and `vm_cache_entries{type="storage/tsid"}` (the series it has
/// registered: its `hour_metric_ids` cache, what its dashboards call active series, stayed 0 for the first minutes
/// of a 1.79 node here, so a trial read no series at all). Two
/// readings over a window give its ingestion rate, to set against what the targets served (``MetricsIngestion``).
///
/// Both backends also store series of their own per scrape (`up`, `scrape_duration_seconds`,
/// `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`, `scrape_series_added`; VictoriaMetrics 1.79
/// adds `scrape_timeout_seconds`), so they ingest a little more than was served: ``extraSamplesPerScrape(of:)``.
public struct IngestedSamples: Sendable, Equatable {
    /// The backend's counter of samples ingested.
    public var total: Double
    /// Its active series; nil when its metrics lack the gauge.
    public var activeSeries: Double?

    /// Samples a backend adds per scrape beside those served: 5 for Prometheus, 6 for VictoriaMetrics.
    public static func extraSamplesPerScrape(of kind: ComponentKind) -> Int {
        kind == .victoriaMetrics ? 6 : 5
    }

    /// The counter `kind` keeps, with the label its scraped samples carry (nil: every line of it); nil for a kind
    /// that is not a metrics backend.
    public static func counter(of kind: ComponentKind) -> (name: String, label: String?)? {
        switch kind {
        case .prometheus: ("prometheus_tsdb_head_samples_appended_total", nil)
        case .victoriaMetrics: ("vm_rows_inserted_total", "type=\"promscrape\"")
        default: nil
        }
    }

    /// The gauge of active series `kind` keeps, with the label that picks it.
    public static func seriesGauge(of kind: ComponentKind) -> (name: String, label: String?)? {
        switch kind {
        case .prometheus: ("prometheus_tsdb_head_series", nil)
        case .victoriaMetrics: ("vm_cache_entries", "type=\"storage/tsid\"")
        default: nil
        }
    }

    init(total: Double, activeSeries: Double?) {
        self.total = total
        self.activeSeries = activeSeries
    }

    /// The counter's value in `kind`'s exposition text, its matching lines summed, and the series gauge; nil when
    /// it has no counter.
    public init?(exposition text: String, kind: ComponentKind) {
        guard let counter = Self.counter(of: kind), let total = Self.sum(counter, in: text) else { return nil }
        self.total = total
        activeSeries = Self.seriesGauge(of: kind).flatMap { Self.sum($0, in: text) }
    }

    /// The values of the lines of metric `name` (those carrying `label` when given) summed; nil when none.
    static func sum(_ metric: (name: String, label: String?), in text: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where line.hasPrefix(metric.name) {
            let rest = line.dropFirst(metric.name.count)
            guard rest.first == " " || rest.first == "{" else { continue }
            if let label = metric.label, !rest.contains(label) { continue }
            guard let value = rest.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            total = (total ?? 0) + value
        }
        return total
    }

    /// Reads the counter of the `kind` backend on 127.0.0.1:`port`.
    ///
    /// - Throws: `UserError` when it does not answer or its metrics lack the counter.
    ///
    /// - Parameter absentIsZero: read a counter its metrics do not list yet as 0: Prometheus lists
    ///   `prometheus_tsdb_head_samples_appended_total` only once it has appended a sample.
    public static func read(kind: ComponentKind, port: Int, absentIsZero: Bool = false) throws -> IngestedSamples {
        let answer: HTTPAnswer
        do {
            answer = try LoopbackSocket.get(port: port, path: "/metrics", timeout: .seconds(5))
        } catch {
            throw UserError("\(kind.rawValue) on port \(port): /metrics did not answer: \(error.reason)")
        }
        let text = answer.header("Transfer-Encoding") == "chunked" ? Self.dechunked(answer.body) : answer.text
        if answer.status == 200, absentIsZero, counter(of: kind).flatMap({ sum($0, in: text) }) == nil {
            return IngestedSamples(total: 0, activeSeries: seriesGauge(of: kind).flatMap { sum($0, in: text) })
        }
        guard answer.status == 200, let samples = IngestedSamples(exposition: text, kind: kind) else {
            let name = counter(of: kind)?.name ?? "a samples counter"
            throw UserError("\(kind.rawValue) on port \(port): /metrics (HTTP \(answer.status)) has no \(name)")
        }
        return samples
    }

    /// A chunked body's data.
    static func dechunked(_ body: [UInt8]) -> String {
        var data: [UInt8] = []
        var index = 0
        while let lineEnd = body[index...].firstRange(of: [13, 10]),
            let size = Int(String(decoding: body[index..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0,
            lineEnd.upperBound + size <= body.count
        {
            data += body[lineEnd.upperBound..<(lineEnd.upperBound + size)]
            index = lineEnd.upperBound + size + 2
            guard index < body.count else { break }
        }
        return String(decoding: data, as: UTF8.self)
    }
}
