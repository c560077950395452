import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// The metrics backends' settings: the scrape configuration both read, and one clear line naming the setting for
/// a bad value.
struct ScrapeSettingsTests {
    static func settings(_ values: [String: String], kind: ComponentKind = .prometheus) throws -> ScrapeSettings {
        try ScrapeSettings(
            Component(name: "metrics", kind: kind, settings: values),
            upstreams: [ComponentEndpoint(port: 9100, wireProtocol: .http)])
    }

    @Test func theScrapeConfigurationListsEveryTarget() throws {
        let settings = try Self.settings(["scrape_interval": "1s", "retention": "2w", "targets": "9200, [::1]:9201"])
        #expect(settings.retentionHours == 336)
        #expect(
            settings.configurationText(component: "metrics") == """
                # Written by StackLab for component 'metrics'.
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: stacklab
                    static_configs:
                      - targets: ['127.0.0.1:9100', '127.0.0.1:9200', '[::1]:9201']

                """)
        let defaults = try Self.settings([:])
        #expect(defaults.scrapeIntervalMilliseconds == 15_000 && defaults.scrapeTimeoutMilliseconds == 10_000)
        #expect(defaults.retentionHours == 360)
        #expect(try Self.settings(["scrape_interval": "1500ms"]).configurationText(component: "m").contains("1500ms"))
    }

    @Test(arguments: [
        (["scrape_interval": "0"], "component 'metrics': scrape_interval '0' must be at least 1ms"),
        (["scrape_interval": "soon"], "component 'metrics': scrape_interval: 'soon' is not a duration"),
        (["retention": "0d"], "component 'metrics': retention '0d' must be at least a day"),
        (["retention": "15"], "component 'metrics': retention '15' is not a whole number"),
        (["targets": "10.0.0.1:9100"], "component 'metrics': target '10.0.0.1:9100' is not on loopback"),
        (["scrape": "1s"], "component 'metrics': unknown setting 'scrape'; prometheus takes retention"),
    ])
    func aBadSettingIsOneLineNamingIt(values: [String: String], message: String) {
        #expect {
            try Self.settings(values)
        } throws: { error in
            let text = (error as? UserError)?.message ?? "\(error)"
            return text.hasPrefix(message) && !text.contains("\n")
        }
    }

    @Test func victoriaMetricsMayBeSpelledAsTheIssueWritesIt() throws {
        let spec = try ExperimentSpec(
            yaml: """
                name: metrics
                workloads:
                  json: { path: /json, rate: 10 }
                components:
                  vm: { kind: victoriametrics }
                  app: { kind: app, runtime: swift }
                variants:
                  app: [app]
                """, file: "e.yaml")
        #expect(spec.components.first { $0.name == "vm" }?.kind == .victoriaMetrics)
    }
}
