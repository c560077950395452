import Foundation
import Histogram
import StackLabCore
import StackLabReport

/// Runs as `stacklab run` could have recorded them, built in memory with seeded randomness.
enum RunFixture {
    static let slo = ServiceLevelObjective(latency: [.init(percentile: "p99", nanoseconds: 20_000_000)])

    /// Variants `direct` (app) and `nginx` (nginx → app) at each rate, `repeats` times; p99 climbs past the SLO
    /// above 2000/s for `direct` and above 1000/s for `nginx`. `latencyScale` multiplies every latency.
    static func record(
        id: String = "run-1", rates: [Double] = [500, 1_000, 2_000, 4_000], repeats: Int = 3,
        latencyScale: Double = 1, histograms: Bool = true, seed: UInt64 = 1, requestsPerTrial: Int = 4_000
    ) -> RunRecord {
        let components = [
            Component(
                name: "app", kind: .app, runtime: .swift,
                resources: Resources(both: .init(cpu: 1, memory: 536_870_912))),
            Component(name: "nginx", kind: .nginx),
        ]
        let variants = [Variant(name: "direct", stack: ["app"]), Variant(name: "nginx", stack: ["nginx", "app"])]
        let spec = ExperimentSpec(
            name: "gateways", description: "Is a gateway worth its latency?", repeats: repeats, slo: slo,
            workload: Workload(
                requests: [.init(path: "/json")],
                arrival: rates.count > 1 ? .sweep(rates: rates) : .constant(rate: rates[0]),
                durationNanoseconds: 10_000_000_000),
            components: components, variants: variants)
        let fingerprint = EnvironmentFingerprint(
            cpuModel: "Test CPU @ 3.0GHz", cores: 2, memoryBytes: 8_000_000_000, kernel: "Linux 6.1.0",
            stacklabVersion: "0.1.0", componentVersions: ["app": "refapp 0.1", "nginx": "1.22.1"],
            pinning: "load on CPU 1; components on CPU 0")
        var record = RunRecord(id: id, startedAt: "2026-01-02T03:04:05Z", spec: spec, fingerprint: fingerprint)
        var generator = SplitMix64(seed: seed)
        for variant in variants {
            for rate in rates {
                for repeatIndex in 1...repeats {
                    record.trials.append(
                        trial(
                            variant: variant, rate: rate, repeatIndex: repeatIndex, scale: latencyScale,
                            histograms: histograms, requests: requestsPerTrial, generator: &generator))
                }
            }
        }
        record.status = .completed
        record.finishedAt = "2026-01-02T03:10:00Z"
        return record
    }

    static func trial(
        variant: Variant, rate: Double, repeatIndex: Int, scale: Double, histograms: Bool, requests: Int,
        generator: inout SplitMix64
    ) -> TrialMeasurement {
        let knee: Double = variant.name == "direct" ? 2_000 : 1_000
        let base = (variant.name == "direct" ? 600.0 : 900.0) * scale
        let overload = rate > knee ? 15.0 * (rate / knee) : 1
        var histogram = LatencyHistogram.latency()
        for _ in 0..<requests {
            let uniform = Double(generator.next() % 1_000_000) / 1_000_000
            // A long tail: most requests near the base, one in a hundred beyond twenty times it.
            let tail = -log(max(1e-9, 1 - uniform))
            _ = histogram.record(UInt64(base * (1 + tail * tail * 0.8) * overload))
        }
        let summary = LatencySummary(histogram)
        let seconds = 10
        let achieved = min(rate, knee * 1.6) * (0.99 + Double(generator.next() % 100) / 10_000)
        let series = (1...seconds).map { second in
            LoadResult.SecondSample(
                second: second, requests: Int(achieved) + Int(generator.next() % 20) - 10, p50: summary.p50,
                p99: summary.p99 * (0.9 + Double(generator.next() % 200) / 1_000), errors: 0)
        }
        let passed = summary.p99 <= 20_000
        let load = LoadResult(
            target: .init(
                url: "http://127.0.0.1:8080/json", method: "GET", connections: 32, threads: 1, keepAlive: true,
                tls: false),
            arrival: .init(model: "open", targetRate: rate, stages: nil), startedAt: "2026-01-02T03:04:05Z",
            warmupSeconds: 2, plannedSeconds: Double(seconds), measuredSeconds: Double(seconds), interrupted: false,
            requests: .init(
                completed: Int(achieved) * seconds, unsent: 0, bytesSent: Int(achieved) * seconds * 80,
                bytesReceived: Int(achieved) * seconds * 180),
            achievedRate: achieved, errors: .init(), errorRate: 0, latency: summary, serviceTime: summary,
            statusCodes: ["200": Int(achieved) * seconds], series: series,
            generator: GeneratorCheck(
                cpuUserSeconds: 1, cpuSystemSeconds: 0.5, completed: Int(achieved) * seconds,
                wallSeconds: Double(seconds), threads: 1, peakRSSBytes: 30_000_000,
                sendLag: .init(p50: 10, p99: 80, max: 400), queuedForConnection: 0, connectionsRequested: 32,
                connectionsEstablished: 32, targetRate: rate, achievedRate: achieved),
            thresholds: [
                .init(expression: "p99<=20.00ms", actual: summary.p99, limit: 20_000, passed: passed)
            ])
        let components = variant.stack.map { name in
            let cpu = (name == "app" ? 0.2 : 0.1) * achieved / 1_000 * Double(seconds)
            return ComponentMeasurement(
                name: name, kind: name == "app" ? "app" : "nginx",
                usage: usage(cpuSeconds: cpu, rss: name == "app" ? 60_000_000 : 12_000_000, seconds: seconds))
        }
        return TrialMeasurement(
            variant: variant.name, repeatIndex: repeatIndex, offeredRate: rate, load: load, components: components,
            generator: usage(cpuSeconds: 1.5, rss: 30_000_000, seconds: seconds),
            latencyHistogram: histograms ? EncodedHistogram(histogram) : nil,
            serviceTimeHistogram: histograms ? EncodedHistogram(histogram) : nil)
    }

    static func usage(cpuSeconds: Double, rss: Int, seconds: Int) -> ResourceUsage {
        ResourceUsage(
            cpuUserSeconds: cpuSeconds * 0.7, cpuSystemSeconds: cpuSeconds * 0.3, averageRSSBytes: rss,
            peakRSSBytes: rss + rss / 5, memoryGiBSeconds: Double(rss) / 1_073_741_824 * Double(seconds),
            diskReadBytes: 0, diskWriteBytes: 4_096, diskCountersMissing: false, samples: seconds * 4,
            wallSeconds: Double(seconds), samplerCPUSeconds: 0.01)
    }

    /// The record, priced with the default catalog.
    static func report(_ record: RunRecord) throws -> RunReport {
        RunReport(record: record, catalog: try PriceCatalogs.load(nameOrPath: PriceCatalogs.defaultName))
    }
}
