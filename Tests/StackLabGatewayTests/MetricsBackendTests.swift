import Foundation
import StackLabCore
import StackLabLoad
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// Prometheus and VictoriaMetrics, real, each started empty in its run directory scraping StackLab's synthetic
/// targets every second: an instant PromQL query answers with a counter value a target served, exactly; Prometheus
/// parses every scrape (the samples it counts are the series served) and its head follows churn; stopping leaves
/// no process.
@Suite(.serialized)
struct MetricsBackendTests {
    /// A backend started by a test, with its supervisor.
    struct Backend {
        var supervisor: ProcessSupervisor
        var child: ChildProcess
        var plan: LocalComponentPlan

        static func start(
            _ kind: ComponentKind, targets: SyntheticTargets, name: String = #function
        ) async throws
            -> Backend
        {
            let supervisor = try ProcessSupervisor(runDirectory: Gateways.runDirectory(name), grace: .seconds(5))
            let ports = PortAllocator()
            let component = Component(
                name: kind.rawValue, kind: kind,
                settings: [
                    "scrape_interval": "1s", "retention": "1d",
                    "targets": targets.ports.map { "127.0.0.1:\($0)" }.joined(separator: ","),
                ])
            let context = LocalPlanContext(
                port: try ports.next(), binDirectory: supervisor.runDirectory, runDirectory: supervisor.runDirectory,
                ports: ports, locator: Gateways.locator)
            let plan = try ComponentRecipe.plan(component, in: context)
            let data = try #require(plan.dataDirectory)
            #expect(data.path.hasPrefix(supervisor.runDirectory.path))
            #expect((try? FileManager.default.contentsOfDirectory(atPath: data.path))?.isEmpty == true)
            let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
            return Backend(supervisor: supervisor, child: child, plan: plan)
        }

        /// The values of an instant query's vector, by the `series` label (or "" without one).
        func query(_ promQL: String) throws -> [String: Double] {
            let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
            let answer = try LoopbackSocket.get(
                port: plan.port, path: "/api/v1/query?query=\(encoded)", timeout: .seconds(5))
            // Go's server sends an answer of more than 2 KiB chunked.
            let body = answer.header("Transfer-Encoding") == "chunked" ? HTTPExchange.dechunk(answer.text) : answer.text
            guard answer.status == 200,
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
            else { throw UserError("query \(promQL): HTTP \(answer.status) \(answer.text)") }
            var values: [String: Double] = [:]
            for sample in result {
                let labels = sample["metric"] as? [String: String] ?? [:]
                if let pair = sample["value"] as? [Any], pair.count == 2, let text = pair[1] as? String {
                    values[labels["series"] ?? ""] = Double(text)
                }
            }
            return values
        }

        /// Polls `promQL` until `done` holds for its answer, for at most `seconds`.
        func wait(
            for promQL: String, seconds: Int = 30, until done: ([String: Double]) -> Bool
        ) async throws -> [String: Double] {
            let deadline = ContinuousClock.now + .seconds(seconds)
            var last: [String: Double] = [:]
            while ContinuousClock.now < deadline {
                last = (try? query(promQL)) ?? [:]
                if done(last) { return last }
                try await Task.sleep(for: .milliseconds(250))
            }
            return last
        }

        func stopLeavingNothing() async {
            let forked = ProcessTree.descendants(of: child.pid)
            await supervisor.stopAll()
            let left = ([child.pid] + forked).filter { ProcessTree.isRunning($0) }
            #expect(left.isEmpty, "\(plan.component.name) left processes running: \(left)")
        }
    }

    @Test(arguments: [ComponentKind.prometheus, .victoriaMetrics])
    func answersAQueryWithTheCounterValueServed(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 40))
        let backend = try await Backend.start(kind, targets: targets)
        let name = SyntheticExposition.counterName
        // Wait for a value past the first second, then check it is one the target served, exactly.
        let answer = try await backend.wait(for: "\(name){series=\"3\"}") { ($0["3"] ?? 0) > 0 }
        let served = Set(
            targets.servedSeconds(of: 0).map { Double(SyntheticExposition.counterValue(series: 3, seconds: $0)) })
        let value = try #require(
            answer["3"], "\(kind.rawValue) never answered; served \(targets.scrapes(of: 0)) scrapes")
        #expect(served.contains(value), "\(kind.rawValue) answered \(value); the target served \(served.sorted())")
        // Every counter series of the target, each with its own value.
        let all = try backend.query(name)
        #expect(all.count == targets.shape.counters)
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    @Test func prometheusParsesEveryScrapeAndItsHeadFollowsChurn() async throws {
        guard Gateways.requireInstalled(.prometheus) else { return }
        let shape = SyntheticTargetShape(series: 200, churnPeriodSeconds: 2, churnShare: 0.5)
        let targets = try SyntheticTargets(count: 2, shape: shape)
        let backend = try await Backend.start(.prometheus, targets: targets)
        // Every sample served is ingested: the series of a target, per scrape, and no scrape fails.
        let scraped = try await backend.wait(for: "scrape_samples_scraped") { $0.values.first == 200 }
        #expect(scraped.values.first == 200)
        try await Task.sleep(for: .seconds(5))
        let up = try backend.query("min(up)")
        #expect(up.values.first == 1)
        let churned = SyntheticExposition(shape: shape, target: 0).churningSeries
        #expect(churned > 0)
        // The head holds the series live now plus those churn replaced: at least one churn's worth more.
        let reply = try LoopbackSocket.get(port: backend.plan.port, path: "/metrics", timeout: .seconds(5))
        let answer = reply.header("Transfer-Encoding") == "chunked" ? HTTPExchange.dechunk(reply.text) : reply.text
        let line = try #require(answer.split(separator: "\n").first { $0.hasPrefix("prometheus_tsdb_head_series ") })
        let series = try #require(Double(line.split(separator: " ")[1]))
        #expect(series >= Double(2 * (200 + churned)), "head series \(series)")
        // Live series stay what is served: the replaced ones went stale.
        let live = try backend.query("count(\(SyntheticExposition.counterName))")
        #expect(live.values.first == Double(2 * shape.counters))
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    /// Each backend's own count of samples ingested over a window follows what the targets served in it (plus its
    /// own series per scrape), as a ratio: the readings and the scrape counts are a moment apart.
    @Test(arguments: [ComponentKind.prometheus, .victoriaMetrics])
    func ingestsWhatTheTargetsServed(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        let shape = SyntheticTargetShape(series: 400)
        let targets = try SyntheticTargets(count: 2, shape: shape)
        let backend = try await Backend.start(kind, targets: targets)
        _ = try await backend.wait(for: "min(up)") { $0.values.first == 1 }
        try await Task.sleep(for: .seconds(2))
        let scrapes = { (0..<2).map { targets.scrapes(of: $0) }.reduce(0, +) }
        let first = try IngestedSamples.read(kind: kind, port: backend.plan.port)
        let firstScrapes = scrapes()
        try await Task.sleep(for: .seconds(8))
        let second = try IngestedSamples.read(kind: kind, port: backend.plan.port)
        let windowScrapes = scrapes() - firstScrapes
        let served = Double(windowScrapes * (shape.series + IngestedSamples.extraSamplesPerScrape(of: kind)))
        let ratio = (second.total - first.total) / served
        #expect(windowScrapes >= 8)
        #expect(
            ratio > 0.8 && ratio < 1.25,
            "\(kind.rawValue) ingested \(second.total - first.total) samples while \(windowScrapes) scrapes served \(served)"
        )
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }
}
