/// What a metrics backend (`kind: prometheus`, `kind: victoria-metrics`) ingested during one trial, read from its
/// own `/metrics` when the measured window opened and when it closed: Prometheus's
/// `prometheus_tsdb_head_samples_appended_total` and `prometheus_tsdb_head_series`, VictoriaMetrics'
/// `vm_rows_inserted_total{type="promscrape"}` and `vm_cache_entries{type="storage/tsid"}` (the series it has
/// registered since it started, as Prometheus's head series are those of its last two hours).
///
/// With the component's resource use and stored bytes it gives the storage and ingestion figures: bytes
/// per sample (the data directory over every sample since the backend started), memory per active series and CPU
/// per million samples.
public struct MetricsIngestion: Sendable, Equatable, Codable {
    /// Samples ingested over the measured window: the counter's increase.
    public var samples: Double
    /// The counter when the window closed: every sample ingested since the backend started, which its data
    /// directory holds.
    public var samplesSinceStart: Double
    /// Active series when the window closed; nil when the backend did not report them.
    public var activeSeries: Double?
    /// Samples per second the backend should ingest: what StackLab's synthetic targets served plus the series it
    /// adds per scrape (`up`, `scrape_duration_seconds`, …); nil when it also scrapes targets StackLab does not
    /// serve, whose series are unknown.
    public var expectedPerSecond: Double?

    public init(samples: Double, samplesSinceStart: Double, activeSeries: Double?, expectedPerSecond: Double?) {
        self.samples = samples
        self.samplesSinceStart = samplesSinceStart
        self.activeSeries = activeSeries
        self.expectedPerSecond = expectedPerSecond
    }

    /// Samples ingested per second of `seconds` (the measured window); nil for an empty window.
    public func perSecond(over seconds: Double) -> Double? {
        seconds > 0 ? samples / seconds : nil
    }

    /// Bytes on disk per sample ingested since the start: `storedBytes` (the data directory) over
    /// ``samplesSinceStart``; nil when either is unknown or zero.
    public func bytesPerSample(storedBytes: Int?) -> Double? {
        guard let storedBytes, samplesSinceStart > 0 else { return nil }
        return Double(storedBytes) / samplesSinceStart
    }

    /// Memory per active series, bytes: `memoryBytes` (the backend's average PSS or RSS) over ``activeSeries``.
    public func memoryPerSeries(memoryBytes: Int) -> Double? {
        guard let activeSeries, activeSeries > 0 else { return nil }
        return Double(memoryBytes) / activeSeries
    }

    /// CPU-seconds per million samples ingested over the window; nil when none were.
    public func cpuSecondsPerMillionSamples(cpuSeconds: Double) -> Double? {
        samples > 0 ? cpuSeconds / samples * 1e6 : nil
    }
}
