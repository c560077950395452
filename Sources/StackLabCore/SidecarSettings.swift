/// The settings of a `kind: sidecar` component, what changes a mesh proxy's cost: worker threads, access logging,
/// stats, and the HTTP version between sidecars. Read once, by the spec check (each problem at its line) and by
/// the recipe that renders the sidecar.
public struct SidecarSettings: Sendable, Equatable {
    /// The HTTP version a sidecar opens to the next sidecar.
    public enum UpstreamProtocol: String, Sendable, Equatable, CaseIterable {
        case http1
        case http2
    }

    /// Envoy's worker threads (`--concurrency`): Istio's default of 2.
    public var concurrency = 2
    /// Whether every request is logged (`access.log` in the component's directory).
    public var accessLog = false
    /// Whether Envoy keeps its stats (counters, gauges, histograms per listener and cluster); off rejects them
    /// all, as a mesh with telemetry turned off does.
    public var stats = true
    /// The HTTP version the client's sidecar opens to the sidecar it sends to; an inbound sidecar accepts both
    /// and forwards to its component over HTTP/1.1.
    public var upstreamProtocol = UpstreamProtocol.http1

    /// The settings a sidecar takes (`tls_key` as every gateway).
    public static let keys = ["concurrency", "access_log", "stats", "upstream_protocol", "tls_key"]
    /// Most worker threads.
    public static let maximumConcurrency = 256

    public init() {}

    /// Reads `settings`, with one problem per bad key (an unknown key, a bad value) as the key and a message.
    public static func read(_ settings: [String: String]) -> (settings: SidecarSettings, problems: [Problem]) {
        var result = SidecarSettings()
        var problems: [Problem] = []
        for key in settings.keys.sorted() {
            let value = settings[key]!
            switch key {
            case "concurrency":
                if let number = Int(value), (1...maximumConcurrency).contains(number) {
                    result.concurrency = number
                } else {
                    problems.append(
                        Problem(
                            key: key,
                            message: "expected worker threads from 1 to \(maximumConcurrency), found "
                                + MessageText.quoted(value)))
                }
            case "access_log", "stats":
                guard let on = Self.flag(value) else {
                    problems.append(
                        Problem(key: key, message: "expected true or false, found \(MessageText.quoted(value))"))
                    continue
                }
                if key == "stats" { result.stats = on } else { result.accessLog = on }
            case "upstream_protocol":
                if let chosen = UpstreamProtocol(rawValue: value.lowercased()) {
                    result.upstreamProtocol = chosen
                } else {
                    problems.append(
                        Problem(key: key, message: "expected http1 or http2, found \(MessageText.quoted(value))"))
                }
            case "tls_key":
                continue
            default:
                let hint =
                    NameSuggestion.nearest(to: key, among: Self.keys).map { "did you mean '\($0)'?" }
                    ?? "a sidecar takes " + Self.keys.joined(separator: ", ")
                problems.append(Problem(key: key, message: "unknown setting for kind sidecar; \(hint)"))
            }
        }
        return (result, problems)
    }

    /// One bad setting.
    public struct Problem: Sendable, Equatable {
        public var key: String
        public var message: String
    }

    private static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }
}
