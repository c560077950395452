import Foundation
import StackLabCore

/// The settings a metrics backend (`kind: prometheus`, `kind: victoria-metrics`) takes, read and checked once for
/// both so that the two scrape the same targets at the same interval and keep data as long.
///
/// - `scrape_interval`: how often every target is scraped, a duration (`15s`, `1s`, `500ms`); `15s` by default.
///   The scrape timeout is the interval, or 10 s when the interval is longer.
/// - `retention`: how long data is kept, whole hours, days, weeks or years (`12h`, `15d`, `2w`, `1y`), at least
///   a day (VictoriaMetrics' least); `15d` by default, Prometheus's default.
/// - `targets`: loopback addresses to scrape besides the components the backend has hops to, separated by commas
///   or spaces: `127.0.0.1:9100`, `[::1]:9100`, `localhost:9100` or a bare port (the synthetic scrape targets).
struct ScrapeSettings: Equatable {
    static let names = ["retention", "scrape_interval", "targets"]

    var scrapeIntervalMilliseconds = 15_000
    var retentionHours = 15 * 24
    /// `host:port` of every target, the hops' first, in the file's order.
    var targets: [String] = []

    /// The scrape timeout: the interval, at most 10 s (Prometheus refuses a timeout longer than the interval).
    var scrapeTimeoutMilliseconds: Int { min(scrapeIntervalMilliseconds, 10_000) }

    /// Reads `component`'s settings; `upstreams` are the endpoints of the components it has hops to.
    ///
    /// - Throws: `UserError` naming the component and the setting, for an unknown setting or a bad value.
    init(_ component: Component, upstreams: [ComponentEndpoint]) throws {
        let name = component.name
        let settings = component.settings
        for key in settings.keys.sorted() where !Self.names.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; \(component.kind.rawValue) takes "
                    + Self.names.joined(separator: ", "))
        }
        if let text = settings["scrape_interval"] {
            let what = "component '\(name)': scrape_interval"
            let nanoseconds = try DurationText.nanoseconds(text, what: what)
            guard nanoseconds >= 1_000_000 else {
                throw UserError("\(what) \(MessageText.quoted(text)) must be at least 1ms, e.g. 15s")
            }
            scrapeIntervalMilliseconds = Int(nanoseconds / 1_000_000)
        }
        if let text = settings["retention"] {
            retentionHours = try Self.hours(text, component: name)
        }
        targets = upstreams.map { "127.0.0.1:\($0.port)" }
        if let text = settings["targets"] {
            let words = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            targets += try words.map { try Self.target($0, component: name) }
        }
    }

    /// Whole hours of a retention: `36h`, `15d`, `2w`, `1y`, at least 24.
    static func hours(_ text: String, component: String) throws -> Int {
        let what = "component '\(component)': retention \(MessageText.quoted(text))"
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
    static func target(_ text: String, component: String) throws -> String {
        let what = "component '\(component)': target \(MessageText.quoted(text))"
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

    /// A duration as Prometheus and VictoriaMetrics read it: `15s`, `1500ms`.
    static func durationText(milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// The scrape configuration both backends read (Prometheus's format, which VictoriaMetrics'
    /// `-promscrape.config` takes): one job, `stacklab`, with every target.
    func configurationText(component: String) -> String {
        var lines = [
            "# Written by StackLab for component '\(component)'.",
            "global:",
            "  scrape_interval: \(Self.durationText(milliseconds: scrapeIntervalMilliseconds))",
            "  scrape_timeout: \(Self.durationText(milliseconds: scrapeTimeoutMilliseconds))",
        ]
        if targets.isEmpty {
            lines.append("scrape_configs: []")
        } else {
            lines += [
                "scrape_configs:",
                "  - job_name: stacklab",
                "    static_configs:",
                "      - targets: [" + targets.map { "'\($0)'" }.joined(separator: ", ") + "]",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
