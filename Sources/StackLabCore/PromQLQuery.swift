/// One query of a `protocol: promql` workload, sent as an HTTP GET to a metrics backend's API: an instant query
/// (`/api/v1/query`, evaluated when it is answered) or, with a range, a range query (`/api/v1/query_range`) over
/// the range that ends as the trial ends, at its step.
public struct PromQLQuery: Sendable, Equatable, Codable {
    /// A plain name (letters, digits, `-`, `_`) that names the query's trials and tables.
    public var name: String
    /// The PromQL text, as the backend receives it.
    public var expression: String
    /// A range query's range in whole seconds; nil for an instant query.
    public var rangeSeconds: Int?
    /// A range query's step in whole seconds; nil for an instant query.
    public var stepSeconds: Int?

    public init(name: String, expression: String, rangeSeconds: Int? = nil, stepSeconds: Int? = nil) {
        self.name = name
        self.expression = expression
        self.rangeSeconds = rangeSeconds
        self.stepSeconds = rangeSeconds.map { stepSeconds ?? Self.defaultStep(rangeSeconds: $0) }
    }

    /// A range's step when the file gives none: 240 points over the range (15s over an hour), at least 1s.
    public static func defaultStep(rangeSeconds: Int) -> Int { max(1, rangeSeconds / 240) }

    /// The queries of a `promql` workload that gives no `queries:`, over the series of StackLab's synthetic
    /// scrape targets (`SyntheticExposition`): an instant selector, a rate over 5m, a sum by the label of highest
    /// cardinality (`series`), a 1h range with a 15s step, a topk and a histogram quantile.
    public static let defaults: [PromQLQuery] = [
        PromQLQuery(name: "selector", expression: "stacklab_synthetic_requests_total{shard=\"1\"}"),
        PromQLQuery(name: "rate", expression: "rate(stacklab_synthetic_requests_total[5m])"),
        PromQLQuery(
            name: "sum-by-series", expression: "sum by (series) (rate(stacklab_synthetic_requests_total[5m]))"),
        PromQLQuery(
            name: "range-1h", expression: "sum by (shard) (rate(stacklab_synthetic_requests_total[5m]))",
            rangeSeconds: 3600, stepSeconds: 15),
        PromQLQuery(name: "topk", expression: "topk(10, rate(stacklab_synthetic_requests_total[5m]))"),
        PromQLQuery(
            name: "histogram-quantile",
            expression: "histogram_quantile(0.99, sum by (le) (rate(stacklab_synthetic_latency_seconds_bucket[5m])))"),
    ]

    /// The request path and query string; a range query's range ends at `end` (Unix seconds).
    public func path(endingAt end: Int) -> String {
        let query = "query=" + Self.percentEncoded(expression)
        guard let rangeSeconds else { return "/api/v1/query?" + query }
        let step = stepSeconds ?? Self.defaultStep(rangeSeconds: rangeSeconds)
        return "/api/v1/query_range?\(query)&start=\(end - rangeSeconds)&end=\(end)&step=\(step)"
    }

    /// `name: expression`, with the range and step of a range query.
    public var summary: String {
        guard let rangeSeconds else { return "\(name): \(expression)" }
        return "\(name): \(expression) over \(rangeSeconds)s step \(stepSeconds ?? 1)s"
    }

    /// Every byte but the URL's unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`, so no PromQL character (a space,
    /// `{`, `"`, `+`, `&`) changes the request.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
