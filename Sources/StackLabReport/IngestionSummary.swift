import StackLabCore

/// A metrics backend's ingestion across a trial group's repeats: the median of each trial's figure
/// (``MetricsIngestion``), each nil when no trial had it.
public struct IngestionSummary: Codable, Sendable, Equatable {
    /// Samples the backend ingested per second of the measured window, by its own counter.
    public var samplesPerSecond: Double?
    /// What the synthetic targets served per second, with the backend's own series per scrape.
    public var expectedPerSecond: Double?
    public var activeSeries: Double?
    /// The data directory over every sample ingested since the backend started, bytes.
    public var bytesPerSample: Double?
    /// Average memory (PSS) over active series, bytes.
    public var memoryBytesPerSeries: Double?
    public var cpuSecondsPerMillionSamples: Double?

    /// The summary of one component's measurements in a group's trials; nil when none read its counters.
    public init?(_ measured: [ComponentMeasurement]) {
        let read = measured.compactMap { component in component.ingestion.map { (component, $0) } }
        guard !read.isEmpty else { return nil }
        func median(_ value: (ComponentMeasurement, MetricsIngestion) -> Double?) -> Double? {
            Statistics.median(read.compactMap(value))
        }
        samplesPerSecond = median { $1.perSecond(over: $0.usage.wallSeconds) }
        expectedPerSecond = median { $1.expectedPerSecond }
        activeSeries = median { $1.activeSeries }
        bytesPerSample = median { $1.bytesPerSample(storedBytes: $0.storedBytes) }
        memoryBytesPerSeries = median { $1.memoryPerSeries(memoryBytes: $0.usage.averageRSSBytes) }
        cpuSecondsPerMillionSamples = median { $1.cpuSecondsPerMillionSamples(cpuSeconds: $0.usage.cpuSeconds) }
    }
}
