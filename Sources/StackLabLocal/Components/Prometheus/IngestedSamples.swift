import StackLabCore

/// Samples a metrics backend says it has ingested, read from its own `/metrics`: Prometheus's
/// `prometheus_tsdb_head_samples_appended_total` and VictoriaMetrics' `vm_rows_inserted_total{type="promscrape"}`.
/// Two readings over a window give its ingestion rate, to set against what the targets served.
///
/// Both backends also store series of their own per scrape (`up`, `scrape_duration_seconds`,
/// `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`, `scrape_series_added`; VictoriaMetrics 1.79
/// adds `scrape_timeout_seconds`), so they ingest a little more than was served: ``extraSamplesPerScrape(of:)``.
public struct IngestedSamples: Sendable, Equatable {
    /// The backend's counter of samples ingested.
    public var total: Double

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

    /// The counter's value in `kind`'s exposition text, its matching lines summed; nil when it has none.
    public init?(exposition text: String, kind: ComponentKind) {
        guard let counter = Self.counter(of: kind) else { return nil }
        var total: Double?
        for line in text.split(separator: "\n") where line.hasPrefix(counter.name) {
            let rest = line.dropFirst(counter.name.count)
            guard rest.first == " " || rest.first == "{" else { continue }
            if let label = counter.label, !rest.contains(label) { continue }
            guard let value = rest.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            total = (total ?? 0) + value
        }
        guard let total else { return nil }
        self.total = total
    }

    /// Reads the counter of the `kind` backend on 127.0.0.1:`port`.
    ///
    /// - Throws: `UserError` when it does not answer or its metrics lack the counter.
    public static func read(kind: ComponentKind, port: Int) throws -> IngestedSamples {
        let answer: HTTPAnswer
        do {
            answer = try LoopbackSocket.get(port: port, path: "/metrics", timeout: .seconds(5))
        } catch {
            throw UserError("\(kind.rawValue) on port \(port): /metrics did not answer: \(error.reason)")
        }
        let text = answer.header("Transfer-Encoding") == "chunked" ? Self.dechunked(answer.body) : answer.text
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
