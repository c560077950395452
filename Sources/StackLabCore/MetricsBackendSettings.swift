import Foundation

/// The settings of a metrics backend (`kind: prometheus`, `kind: victoria-metrics`), read once for both so that
/// the two scrape the same targets at the same interval and keep data as long; read by the spec check (each
/// problem at its line) and by the recipe that writes the scrape configuration.
///
/// - `scrape_interval`: how often every target is scraped, a duration (`15s`, `1s`, `500ms`); `15s` by default.
/// - `retention`: how long data is kept, whole hours, days, weeks or years (`12h`, `15d`, `2w`, `1y`), at least
///   a day (VictoriaMetrics' least); `15d` by default, Prometheus's default.
/// - `targets`: loopback addresses to scrape besides the components the backend has hops to, separated by commas
///   or spaces: `127.0.0.1:9100`, `[::1]:9100`, `localhost:9100` or a bare port.
/// - `synthetic_targets` and the `synthetic_*` shape: StackLab's synthetic scrape targets, started by the run
///   beside the backend and scraped by it (``Synthetic``).
public struct MetricsBackendSettings: Sendable, Equatable {
    /// StackLab's synthetic scrape targets a run starts for the backend, and what each serves.
    public struct Synthetic: Sendable, Equatable {
        /// Targets, each on its own loopback port.
        public var count: Int
        /// Series per target (`synthetic_series`): 800 by default, about a node exporter's.
        public var series = 800
        /// Values of the `shard` label (`synthetic_shards`).
        public var labelCardinality = 10
        /// Seconds between churns (`synthetic_churn`), nil for none.
        public var churnPeriodSeconds: Int?
        /// The share of series that churn (`synthetic_churn_share`).
        public var churnShare = 0.1

        public init(count: Int) { self.count = count }
    }

    public var scrapeIntervalMilliseconds = 15_000
    public var retentionHours = 15 * 24
    /// `host:port` of every target the `targets` setting names, in its order.
    public var targets: [String] = []
    /// The synthetic targets a run starts; nil without `synthetic_targets` (or with 0).
    public var synthetic: Synthetic?

    /// The settings a metrics backend takes.
    public static let keys = [
        "retention", "scrape_interval", "synthetic_churn", "synthetic_churn_share", "synthetic_series",
        "synthetic_shards", "synthetic_targets", "targets",
    ]
    /// The most synthetic targets one backend scrapes.
    public static let maximumSyntheticTargets = 1000

    public init() {}

    /// One bad setting: its key and a message that names it (`scrape_interval '0' must be at least 1ms, e.g. 15s`).
    public struct Problem: Sendable, Equatable {
        public var key: String
        public var message: String
    }

    /// Reads a `kind` backend's `settings`, with one problem per bad key.
    public static func read(
        _ settings: [String: String], kind: ComponentKind
    ) -> (settings: MetricsBackendSettings, problems: [Problem]) {
        var result = MetricsBackendSettings()
        var problems: [Problem] = []
        var synthetic = Synthetic(count: 0)
        for key in settings.keys.sorted() {
            let text = settings[key]!
            do {
                switch key {
                case "scrape_interval":
                    let nanoseconds = try DurationText.nanoseconds(text, what: key)
                    guard nanoseconds >= 1_000_000 else {
                        throw UserError("scrape_interval \(MessageText.quoted(text)) must be at least 1ms, e.g. 15s")
                    }
                    result.scrapeIntervalMilliseconds = Int(nanoseconds / 1_000_000)
                case "retention":
                    result.retentionHours = try hours(text)
                case "targets":
                    let words = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
                    result.targets = try words.map(target)
                case "synthetic_targets":
                    synthetic.count = try whole(text, key, 0...maximumSyntheticTargets)
                case "synthetic_series":
                    synthetic.series = try whole(text, key, 4...10_000_000)
                case "synthetic_shards":
                    synthetic.labelCardinality = try whole(text, key, 1...10_000_000)
                case "synthetic_churn":
                    let nanoseconds = try DurationText.nanoseconds(text, what: key)
                    guard nanoseconds >= 1_000_000_000, nanoseconds % 1_000_000_000 == 0 else {
                        throw UserError("synthetic_churn \(MessageText.quoted(text)) must be whole seconds, e.g. 60s")
                    }
                    synthetic.churnPeriodSeconds = Int(nanoseconds / 1_000_000_000)
                case "synthetic_churn_share":
                    guard let share = Double(text), (0...1).contains(share) else {
                        throw UserError(
                            "synthetic_churn_share \(MessageText.quoted(text)) must be a fraction from 0 to 1, e.g. 0.1"
                        )
                    }
                    synthetic.churnShare = share
                default:
                    let hint = NameSuggestion.nearest(to: key, among: keys).map { "; did you mean '\($0)'?" } ?? ""
                    throw UserError(
                        "unknown setting '\(key)'; \(kind.rawValue) takes " + keys.joined(separator: ", ") + hint)
                }
            } catch let error as UserError {
                problems.append(Problem(key: key, message: error.message))
            } catch {
                problems.append(Problem(key: key, message: "\(error)"))
            }
        }
        if synthetic.count > 0 {
            result.synthetic = synthetic
        } else if let key = settings.keys.sorted().first(where: { Self.keys.contains($0) && $0.hasPrefix("synthetic_") }
        ),
            key != "synthetic_targets"
        {
            problems.append(
                Problem(key: key, message: "\(key) shapes synthetic targets; give synthetic_targets: N too"))
        }
        return (result, problems)
    }

    /// A whole number in `range`.
    static func whole(_ text: String, _ key: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw UserError(
                "\(key) \(MessageText.quoted(text)) must be a whole number from \(range.lowerBound) to "
                    + MessageText.grouped(range.upperBound))
        }
        return number
    }

    /// Whole hours of a retention: `36h`, `15d`, `2w`, `1y`, at least 24.
    static func hours(_ text: String) throws -> Int {
        let what = "retention \(MessageText.quoted(text))"
        let units = ["h": 1, "d": 24, "w": 7 * 24, "y": 365 * 24]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last.map(String.init), let scale = units[unit],
            let count = Int(trimmed.dropLast()), count >= 0, count <= 100 * 365 * 24
        else {
            throw UserError("\(what) is not a whole number of hours, days, weeks or years, e.g. 15d")
        }
        guard count * scale >= 24 else { throw UserError("\(what) must be at least a day (24h)") }
        return count * scale
    }

    /// `host:port` of one target written in `targets`: a loopback address and a port, or a bare port.
    static func target(_ text: String) throws -> String {
        let what = "target \(MessageText.quoted(text))"
        var host = "127.0.0.1"
        var portText = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard ["127.0.0.1", "localhost", "[::1]"].contains(host) else {
            throw UserError("\(what) is not on loopback; write 127.0.0.1:PORT, [::1]:PORT or a port")
        }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw UserError("\(what) has no port from 1 to 65535")
        }
        return "\(host):\(port)"
    }
}
