import Foundation
import StackLabCore
import StackLabLoad
import StackLabRunner
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The `protocol: promql` workload against real Prometheus and VictoriaMetrics scraping StackLab's synthetic
/// targets: every default query answered without error under ingestion.
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
        let options = try Self.options(port: backend.plan.port)
        let run = try await LoadEngine(options: options).run()
        let result = run.result
        #expect(result.requests.completed >= 60, "\(kind.rawValue): \(result.requests)")
        #expect(result.errors.total == 0, "\(kind.rawValue): \(result.errors)")
        #expect(Set(result.statusCodes.keys) == ["200"], "\(result.statusCodes)")
        await backend.stopLeavingNothing()
        try await targets.shutdown()
    }
}
