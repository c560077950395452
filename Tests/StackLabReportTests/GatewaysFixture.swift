import Foundation
import Histogram
import StackLabCore
import StackLabReport

/// A run of the full examples/gateways.yaml (11 variants × 4 rates × 3 repeats: 44 series), synthesized with seeded
/// randomness as `stacklab run` could have recorded it on a two-core machine (components sharing CPU 0).
enum GatewaysFixture {
    static let specPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/gateways.yaml").path

    /// The record; `egress` replaces the experiment's (none) when given.
    static func record(egress: EgressKind? = nil, requestsPerTrial: Int = 2_000) throws -> RunRecord {
        var spec = try ExperimentSpec.load(path: specPath)
        if let egress { spec.egress = egress }
        let fingerprint = EnvironmentFingerprint(
            cpuModel: "Test CPU @ 3.0GHz", cores: 2, memoryBytes: 8_000_000_000, kernel: "Linux 6.1.0",
            stacklabVersion: "0.1.0", componentVersions: [:],
            pinning: "load engine on CPUs 1, components on CPUs 0 (of usable 0-1)", componentCPUs: 1)
        var record = RunRecord(
            id: "run-gateways", startedAt: "2026-01-02T03:04:05Z", spec: spec, fingerprint: fingerprint)
        var generator = SplitMix64(seed: 7)
        guard case .sweep(let rates) = spec.workload.arrival else { return record }
        for (position, variant) in spec.variants.enumerated() {
            let kind = spec.component(named: variant.stack[0])?.kind.rawValue ?? "app"
            // Each gateway adds its own latency, TLS a little more; past 1,000/s (2,000/s direct) p99 climbs.
            let base = 500 + Double(position) * 60 + (variant.name.hasSuffix("-tls") ? 150 : 0)
            for rate in rates {
                for repeatIndex in 1...spec.repeats {
                    var trial = RunFixture.trial(
                        variant: variant, rate: rate, repeatIndex: repeatIndex,
                        scale: base / 900, histograms: true,
                        requests: requestsPerTrial, generator: &generator)
                    trial.components = variant.stack.map { name in
                        let gateway = name != "app"
                        let cpu = (gateway ? 0.12 : 0.2) * trial.load.achievedRate / 1_000 * 10
                        return ComponentMeasurement(
                            name: name, kind: gateway ? kind : "app",
                            usage: RunFixture.usage(
                                cpuSeconds: cpu, rss: gateway ? 20_000_000 : 60_000_000, seconds: 10))
                    }
                    record.trials.append(trial)
                }
            }
        }
        record.status = .completed
        record.finishedAt = "2026-01-02T03:40:00Z"
        return record
    }
}
