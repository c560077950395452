import Foundation
import StackLabCore
import StackLabLoad
import StackLabRunner
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The `protocol: promql` workload against real Prometheus and VictoriaMetrics scraping StackLab's synthetic
/// targets: every default query answered without error under ingestion; both backends giving the same answers
/// over the same data within the documented differences; a backend killed or stopped (SIGSTOP) counted as errors
/// and timeouts with the run ending on time; a query that does not parse refused before any load.
@Suite(.serialized)
struct PromQLWorkloadTests {
    typealias Backend = MetricsBackendTests.Backend

    /// The load engine's options for a promql workload of `queries`, as a run builds them.
    static func options(
        port: Int, queries: [PromQLQuery] = PromQLQuery.defaults, rate: Double = 40, seconds: Int64 = 3,
        timeout: Int64 = 1
    ) throws -> LoadOptions {
        var workload = Workload(
            wireProtocol: .promql, requests: [], arrival: .constant(rate: rate), connections: 4, threads: 1,
            durationNanoseconds: seconds * 1_000_000_000, timeoutNanoseconds: timeout * 1_000_000_000)
        workload.queries = queries
        return try LoadOptions.trial(
            workload, entry: ComponentEndpoint(port: port, wireProtocol: .http), rate: nil, threads: 1)
    }

    @Test(arguments: [ComponentKind.prometheus, .victoriaMetrics])
    func everyDefaultQueryIsAnsweredUnderIngestion(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        let targets = try SyntheticTargets(count: 2, shape: .init(series: 200))
        let backend = try await Backend.start(kind, targets: targets)
        _ = try await backend.wait(for: "count(up)") { $0.values.first == 2 }
        try PromQLCheck.check(PromQLQuery.defaults, port: backend.plan.port)
        let options = try Self.options(port: backend.plan.port)
        let run = try await LoadEngine(options: options).run()
        let result = run.result
        #expect(result.requests.completed >= 60, "\(kind.rawValue): \(result.requests)")
        #expect(result.errors.total == 0, "\(kind.rawValue): \(result.errors)")
        #expect(Set(result.statusCodes.keys) == ["200"], "\(result.statusCodes)")
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    /// Both backends scrape the same target every second; after about 30 s each query is asked of both at one
    /// instant (the range query's first step, 10 s back, has a 10 s window the data fills, with 8 s to spare for a
    /// late or missed early scrape: with 20 s, a busy machine once gave Prometheus 648 against 820 at that step). Each backend scrapes at instants of its own, so a raw counter differs by up to its increase over a
    /// scrape interval or two, and a rate by the whole seconds one sample more or less spans; rates are asked over
    /// 10 s windows the data fills (over a window the data does not fill, Prometheus extrapolates and
    /// VictoriaMetrics does not: docs/observability.md).
    @Test func bothBackendsGiveTheSameAnswersOverTheSameData() async throws {
        guard Gateways.requireInstalled(.prometheus), Gateways.requireInstalled(.victoriaMetrics) else { return }
        // 80 series: 40 counters, 20 gauges, one histogram of 10 buckets.
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 80))
        let prometheus = try await Backend.start(.prometheus, targets: targets)
        let victoria = try await Backend.start(.victoriaMetrics, targets: targets)
        for backend in [prometheus, victoria] {
            _ = try await backend.wait(for: "count(up)") { $0.values.first == 1 }
        }
        try await Task.sleep(for: .seconds(30))
        let time = Int(Date().timeIntervalSince1970) - 2
        let counter = SyntheticExposition.counterName
        func both(
            _ expression: String, by label: String
        ) throws -> (prometheus: [String: Double], victoria: [String: Double]) {
            let path = PromQLQuery(name: "q", expression: expression).path(endingAt: time) + "&time=\(time)"
            return try (Self.vector(prometheus, path, by: label), Self.vector(victoria, path, by: label))
        }

        let raw = try both(counter, by: "series")
        #expect(raw.prometheus.count == 40 && Set(raw.prometheus.keys) == Set(raw.victoria.keys))
        for (series, value) in raw.prometheus {
            let slope = Double(Int(series)! + 1)
            #expect(abs(value - (raw.victoria[series] ?? 0)) <= 3 * slope, "series \(series): \(value) \(raw.victoria)")
        }
        let rates = try both("rate(\(counter)[10s])", by: "series")
        #expect(rates.prometheus.count == 40 && Set(rates.prometheus.keys) == Set(rates.victoria.keys))
        for (series, value) in rates.prometheus {
            let slope = Double(Int(series)! + 1)
            #expect(Self.close(value, slope) && Self.close(rates.victoria[series] ?? 0, slope), "\(series): \(value)")
        }
        let sums = try both("sum by (shard) (rate(\(counter)[10s]))", by: "shard")
        #expect(sums.prometheus.count == 10 && Set(sums.prometheus.keys) == Set(sums.victoria.keys))
        for (shard, value) in sums.prometheus {
            #expect(Self.close(value, sums.victoria[shard] ?? 0), "shard \(shard): \(value) \(sums.victoria)")
        }
        let top = try both("topk(5, \(counter))", by: "series")
        #expect(Set(top.prometheus.keys) == ["39", "38", "37", "36", "35"])
        #expect(Set(top.victoria.keys) == Set(top.prometheus.keys))
        let quantile = try both(
            "histogram_quantile(0.9, sum by (le) (rate(\(SyntheticExposition.histogramName)_bucket[10s])))", by: "")
        let fromPrometheus = try #require(quantile.prometheus[""])
        #expect(fromPrometheus > 0 && Self.close(fromPrometheus, quantile.victoria[""] ?? 0, within: 0.1))

        let range = PromQLQuery(name: "r", expression: "sum(rate(\(counter)[10s]))", rangeSeconds: 10, stepSeconds: 1)
        let fromBoth = try (
            prometheus: Self.matrix(prometheus, range.path(endingAt: time)),
            victoria: Self.matrix(victoria, range.path(endingAt: time))
        )
        let shared = Set(fromBoth.prometheus.keys).intersection(fromBoth.victoria.keys)
        #expect(shared.count >= 5, "\(fromBoth)")
        for instant in shared {
            let (left, right) = (fromBoth.prometheus[instant] ?? 0, fromBoth.victoria[instant] ?? 0)
            #expect(Self.close(left, right), "at \(instant): \(fromBoth)")
        }
        await victoria.stopLeavingNothing()
        await prometheus.stopLeavingNothing()
        try await targets.shutdown()
    }

    @Test(arguments: [ComponentKind.prometheus, .victoriaMetrics])
    func aQueryThatDoesNotParseIsRefusedNamingItAndTheBackendsMessage(_ kind: ComponentKind) async throws {
        guard Gateways.requireInstalled(kind) else { return }
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 40))
        let backend = try await Backend.start(kind, targets: targets)
        let broken = PromQLQuery(name: "broken", expression: "rate(\(SyntheticExposition.counterName)[5m]")
        #expect {
            try PromQLCheck.check([PromQLQuery.defaults[0], broken], port: backend.plan.port)
        } throws: { error in
            let message = (error as? UserError)?.message ?? ""
            return message.hasPrefix("query 'broken' ") && message.contains("parse") && !message.contains("\n")
        }
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    /// A backend killed (SIGKILL) or stopped (SIGSTOP: it still takes connections, through the kernel, and never
    /// answers) a second and a half into a 4 s run: the answers before count, the rest are connection errors or
    /// timeouts, and the run ends after its window and one timeout, not later (checked within a wide margin).
    @Test(arguments: [(ComponentKind.prometheus, SIGKILL), (.victoriaMetrics, SIGSTOP)])
    func aBackendKilledOrStoppedMidRunCountsErrorsAndTheRunEndsOnTime(_ kind: ComponentKind, signal: Int32) async throws
    {
        guard Gateways.requireInstalled(kind) else { return }
        let targets = try SyntheticTargets(count: 1, shape: .init(series: 40))
        let backend = try await Backend.start(kind, targets: targets)
        let options = try Self.options(port: backend.plan.port, seconds: 4)
        let engine = LoadEngine(options: options)
        let started = ContinuousClock.now
        async let running = engine.run()
        try await Task.sleep(for: .milliseconds(1500))
        kill(backend.child.pid, signal)
        let result = try await running.result
        let elapsed = ContinuousClock.now - started
        if signal == SIGSTOP { kill(backend.child.pid, SIGCONT) }
        #expect(result.requests.completed > 0, "answered before the signal: \(result.requests)")
        let errors = result.errors
        #expect(signal == SIGSTOP ? errors.timeout > 0 : errors.connect + errors.read + errors.timeout > 0, "\(errors)")
        #expect(elapsed < .seconds(25), "a 4 s window with a 1 s timeout took \(elapsed)")
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }

    /// Whether `value` is within `within` (a fraction) of `expected`.
    static func close(_ value: Double, _ expected: Double, within: Double = 0.2) -> Bool {
        expected > 0 && abs(value - expected) <= within * expected
    }

    /// The JSON `data.result` of the backend's answer to `path`.
    static func result(_ backend: Backend, _ path: String) throws -> [[String: Any]] {
        let answer = try LoopbackSocket.get(port: backend.plan.port, path: path, timeout: .seconds(5))
        let body = answer.header("Transfer-Encoding") == "chunked" ? HTTPExchange.dechunk(answer.text) : answer.text
        guard answer.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw UserError("\(backend.plan.component.name) \(path): HTTP \(answer.status) \(body)") }
        return result
    }

    /// An instant vector's values by the value of `label` ("" without it).
    static func vector(_ backend: Backend, _ path: String, by label: String) throws -> [String: Double] {
        var values: [String: Double] = [:]
        for sample in try result(backend, path) {
            let labels = sample["metric"] as? [String: String] ?? [:]
            if let pair = sample["value"] as? [Any], pair.count == 2, let text = pair[1] as? String {
                values[labels[label] ?? ""] = Double(text)
            }
        }
        return values
    }

    /// The one series of a range query's matrix, by its points' Unix seconds.
    static func matrix(_ backend: Backend, _ path: String) throws -> [Int: Double] {
        var points: [Int: Double] = [:]
        for pair in try result(backend, path).first?["values"] as? [[Any]] ?? [] where pair.count == 2 {
            if let time = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String {
                points[Int(time.rounded())] = Double(text)
            }
        }
        return points
    }
}
