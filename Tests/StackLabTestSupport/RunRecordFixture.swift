import StackLabCore

/// Runs as an experiment of two variants could have stored them, for tests of the store and its commands.
public enum RunRecordFixture {
    public static let yaml = """
        name: gateways
        repeats: 2
        slo: { p99: 20ms, error_rate: 0.1% }
        workload: { protocol: http, path: /json, rates: [500, 1000], connections: 8, duration: 2s, warmup: 1s }
        components:
          app: { kind: app, runtime: swift, resources: { cpu: 1, memory: 512Mi } }
          nginx: { kind: nginx }
        variants:
          direct: [app]
          nginx: [nginx, app]
        """

    public static func spec() throws -> ExperimentSpec {
        try ExperimentSpec(yaml: yaml, file: "gateways.yaml")
    }

    /// A finished run with `trials` trials (alternating variants), histograms, series and configs.
    public static func record(
        id: String = "20261129-101500-gateways", startedAt: String = "2026-11-29T10:15:00Z", trials: Int = 4,
        status: RunRecord.Status = .completed
    ) throws -> RunRecord {
        var record = RunRecord(
            id: id, startedAt: startedAt, spec: try spec(),
            fingerprint: EnvironmentFingerprint(
                cpuModel: "Test CPU @ 2.0GHz", cores: 2, memoryBytes: 8_000_000_000, kernel: "6.1.0-test",
                stacklabVersion: "0.1.0", componentVersions: ["app": "0.1.0", "nginx": "1.22.1"],
                pinning: "load on CPU 1; components on CPU 0"))
        record.specSource = yaml
        record.trials = (0..<trials).map { index in
            trial(variant: index % 2 == 0 ? "direct" : "nginx", repeatIndex: index / 2 + 1, rate: 500, seed: index)
        }
        record.configs = [
            ComponentConfig(
                variant: "nginx", component: "nginx", fileName: "nginx.conf",
                text: "worker_processes 1;\nevents {}\nhttp { server { listen 127.0.0.1:18080; } }\n")
        ]
        record.status = status
        if status != .running { record.finishedAt = "2026-11-29T10:16:12Z" }
        if status == .aborted { record.abortReason = "interrupted (Ctrl-C)" }
        return record
    }

    /// One trial whose numbers differ with `seed`, with both histograms and a three-second series.
    public static func trial(variant: String, repeatIndex: Int, rate: Double?, seed: Int = 0) -> TrialMeasurement {
        let shift = Double(seed)
        let latency = LatencySummary(
            count: 990, min: 100, mean: 910.5 + shift, p50: 800 + shift, p75: 1_000, p90: 2_000, p95: 5_000,
            p99: 12_345.678 + shift, p999: 20_000, p9999: 30_000, max: 31_000)
        let load = LoadResult(
            target: .init(
                url: "http://127.0.0.1:18080/json", method: "GET", connections: 8, threads: 1, keepAlive: true,
                tls: false),
            arrival: .init(model: "open", targetRate: rate, stages: nil),
            startedAt: "2026-11-29T10:15:0\(seed % 10)Z", warmupSeconds: 1, plannedSeconds: 2, measuredSeconds: 2,
            interrupted: false, requests: .init(completed: 990, unsent: 0, bytesSent: 12_000, bytesReceived: 34_000),
            achievedRate: 495.25, errors: .init(timeout: 1, status5xx: 2), errorRate: 3.0 / 993,
            latency: latency, serviceTime: latency, statusCodes: ["200": 988, "503": 2],
            series: (1...3).map { .init(second: $0, requests: 330, p50: 790.5, p99: 12_000 + Double($0), errors: 1) },
            generator: GeneratorCheck(
                cpuUserSeconds: 0.1, cpuSystemSeconds: 0.05, completed: 990, wallSeconds: 2, threads: 1,
                peakRSSBytes: 10_000_000, sendLag: .init(p50: 10, p99: 50, max: 200), queuedForConnection: 0,
                connectionsRequested: 8, connectionsEstablished: 8, targetRate: rate, achievedRate: 495.25),
            thresholds: [.init(expression: "p99 < 20ms", actual: 12_345.678 + shift, limit: 20_000, passed: true)])
        func usage(_ cpu: Double) -> ResourceUsage {
            ResourceUsage(
                cpuUserSeconds: cpu, cpuSystemSeconds: cpu / 3, averageRSSBytes: 40_000_000 + seed,
                peakRSSBytes: 52_000_000, memoryGiBSeconds: 0.0745, diskReadBytes: 0, diskWriteBytes: 8_192,
                diskCountersMissing: seed % 2 == 1, samples: 20, wallSeconds: 2.0001, samplerCPUSeconds: 0.002)
        }
        let components =
            (variant == "nginx" ? [ComponentMeasurement(name: "nginx", kind: "nginx", usage: usage(0.21))] : [])
            + [ComponentMeasurement(name: "app", kind: "app", usage: usage(0.43 + shift / 100))]
        return TrialMeasurement(
            variant: variant, repeatIndex: repeatIndex, offeredRate: rate, load: load, components: components,
            generator: usage(0.15),
            latencyHistogram: EncodedHistogram(
                values: [101, 803, 2_015, 12_351, 31_007], counts: [1, 500, 400, 88, 1]),
            serviceTimeHistogram: EncodedHistogram(values: [99, 701], counts: [10, UInt64(980 + seed)]))
    }
}
