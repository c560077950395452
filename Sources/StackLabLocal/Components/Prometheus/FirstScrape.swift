import Foundation
import StackLabCore

/// Waits, before a round's first trial, until each metrics backend that scrapes StackLab's synthetic targets has
/// ingested one scrape of every target: the first trial then measures a backend at work, not one still
/// discovering its targets (Prometheus sends target updates at most every 5 s, so its first scrape can come
/// seconds after it reports ready).
public enum FirstScrape {
    /// How often the backend's counter is read while waiting.
    static let poll: Duration = .milliseconds(200)
    /// Time allowed beyond two scrape intervals: discovery (5 s in Prometheus) and a slow first scrape.
    static let slack: Duration = .seconds(15)

    /// Returns once each of `plans`' synthetic-scraping backends has ingested at least 90% of one round of
    /// scrapes (every target's series and the backend's own); other components are not waited for.
    ///
    /// - Throws: `UserError` naming a backend that ingested less within two scrape intervals and `slack`, with
    ///   what it had ingested; `CancellationError` when the run is stopped.
    public static func wait(for plans: [LocalComponentPlan]) async throws {
        for plan in plans {
            guard let perSecond = plan.expectedSamplesPerSecond, IngestedSamples.counter(of: plan.component.kind) != nil
            else { continue }
            let settings = MetricsBackendSettings.read(plan.component.settings, kind: plan.component.kind).settings
            let interval = Duration.milliseconds(settings.scrapeIntervalMilliseconds)
            let round = perSecond * Double(settings.scrapeIntervalMilliseconds) / 1000
            let clock = ContinuousClock()
            let deadline = clock.now + interval * 2 + slack
            var seen = 0.0
            while true {
                seen =
                    (try? IngestedSamples.read(kind: plan.component.kind, port: plan.port, absentIsZero: true))?
                    .total ?? seen
                if seen >= round * 0.9 { break }
                guard clock.now < deadline else {
                    throw UserError(
                        "component '\(plan.component.name)' (\(plan.component.kind.rawValue)) ingested "
                            + "\(Int(seen)) samples in \(Int((interval * 2 + slack) / .seconds(1))) s after it was "
                            + "ready, less than one scrape of its targets (\(Int(round))); see its log in the run "
                            + "directory")
                }
                try await Task.sleep(for: poll)
            }
        }
    }
}
