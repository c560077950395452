import Foundation
import StackLabCore
import Testing

@testable import StackLabDiscovery

/// The radar's Adopt ring is "measured by the lab and found good": a stored result met the experiment's SLO.
struct LabMeasurementTests {
    static let shippedResults = Snapshots.packageRoot.appendingPathComponent("docs/results").path

    static func radar(_ inventory: LabInventory) -> Radar {
        let suggester = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: inventory)
        return Radar(suggester: suggester, suggestions: suggester.suggestions())
    }

    static func ring(_ radar: Radar, _ name: String) -> Radar.Ring? { radar.entries.first { $0.name == name }?.ring }

    @Test func theShippedReportsSayWhatTheLabFoundGood() {
        let measurements = LabMeasurement.fromReports(in: Self.shippedResults, examplesDirectory: Snapshots.examples)
        let good = Set(measurements.filter(\.metSLO).map(\.kind))
        #expect(good == ["nginx", "haproxy", "traefik", "envoy", "caddy", "postgres", "mariadb", "redis"])
        // Component names of the report are read as kinds through the example: `nginx-tls` is nginx.
        let nginx = measurements.filter { $0.kind == "nginx" && $0.experiment == "gateways" }
        #expect(Set(nginx.map(\.variant)) == ["nginx", "nginx-tls"])
        #expect(nginx.first { $0.variant == "nginx" }?.highestRateWithinSLO == 4_000)
    }

    @Test func anExampleWithoutAStoredResultIsNotAdopted() {
        // Used by examples/gateways.yaml, but no result says it met the SLO: Trial, not Adopt.
        let radar = Self.radar(LabInventory.shipped(examplesDirectory: Snapshots.examples))
        #expect(radar.entries.allSatisfy { $0.ring != .adopt })
        let nginx = radar.entries.first { $0.name == "NGINX" }
        #expect(nginx?.ring == .trial)
        #expect(nginx?.description.hasSuffix("; no stored result yet") == true)
        #expect(nginx?.description.contains("examples/gateways.yaml") == true)
    }

    @Test func aComponentThatMissedTheSLOIsNotAdopted() {
        let report = """
            # StackLab run `gateways` · completed

            ## Variant `nginx`: `nginx` → `app`

            No offered rate is within the SLO: the lowest tried, 500/s, failed it.

            ## Variant `haproxy`: `haproxy` → `app`

            Highest rate within the SLO: **≥ 4,000/s** (highest tried): every rate tried met the SLO.
            """
        let measurements = LabMeasurement.parseReport(
            report, source: "gateways-report.md", examplesDirectory: Snapshots.examples)
        #expect(measurements.map(\.kind) == ["nginx", "haproxy"])
        let radar = Self.radar(
            LabInventory.shipped(examplesDirectory: Snapshots.examples, measurements: measurements))
        #expect(Self.ring(radar, "NGINX") == .trial)
        #expect(Self.ring(radar, "HAProxy") == .adopt)
        #expect(
            radar.entries.first { $0.name == "NGINX" }?.description
                == "StackLab measured it: no rate within the SLO (gateways, variant nginx, gateways-report.md)")
    }

    @Test func storedRunsGiveMeasurementsFromTheirSweeps() {
        // nginx meets the SLO at 500/s and fails at 1,000/s; haproxy fails at 500/s already.
        let record = Self.record(p99: ["nginx": [500: 2_000, 1_000: 30_000], "haproxy": [500: 25_000, 1_000: 2_000]])
        let measurements = LabMeasurement.of(record)
        #expect(measurements.count == 2)
        #expect(measurements.first { $0.kind == "nginx" }?.highestRateWithinSLO == 500)
        #expect(measurements.first { $0.kind == "haproxy" }?.metSLO == false)
        #expect(measurements.allSatisfy { $0.source == "run run-1" && $0.experiment == "gateways" })
        let radar = Self.radar(
            LabInventory.shipped(examplesDirectory: Snapshots.examples, measurements: measurements))
        #expect(Self.ring(radar, "NGINX") == .adopt)
        #expect(Self.ring(radar, "HAProxy") == .trial)
    }

    /// A run of variants `<kind>` → app, one trial per rate, with the p99 (µs) given and an SLO of p99 ≤ 20 ms.
    static func record(p99: [String: [Double: Double]]) -> RunRecord {
        let kinds = p99.keys.sorted()
        let spec = ExperimentSpec(
            name: "gateways", slo: ServiceLevelObjective(latency: [.init(percentile: "p99", nanoseconds: 20_000_000)]),
            workload: Workload(
                requests: [.init(path: "/json")], arrival: .sweep(rates: [500, 1_000]),
                durationNanoseconds: 1_000_000_000),
            components: [Component(name: "app", kind: .app, runtime: .swift)]
                + kinds.map { Component(name: $0, kind: ComponentKind(rawValue: $0)!) },
            variants: kinds.map { Variant(name: $0, stack: [$0, "app"]) })
        var record = RunRecord(
            id: "run-1", startedAt: "2026-01-02T03:04:05Z", spec: spec,
            fingerprint: EnvironmentFingerprint(
                cpuModel: "cpu", cores: 2, memoryBytes: 1, kernel: "Linux", stacklabVersion: "0.1.0",
                componentVersions: [:], pinning: ""))
        for kind in kinds {
            for (rate, latency) in p99[kind]!.sorted(by: { $0.key < $1.key }) {
                record.trials.append(trial(variant: kind, rate: rate, p99: latency))
            }
        }
        record.status = .completed
        return record
    }

    static func trial(variant: String, rate: Double, p99: Double) -> TrialMeasurement {
        let latency = LatencySummary(
            count: 100, min: 100, mean: 500, p50: 400, p75: 500, p90: 600, p95: 700, p99: p99, p999: p99,
            p9999: p99, max: p99)
        let usage = ResourceUsage(
            cpuUserSeconds: 0, cpuSystemSeconds: 0, averageRSSBytes: 0, peakRSSBytes: 0, memoryGiBSeconds: 0,
            diskReadBytes: 0, diskWriteBytes: 0, diskCountersMissing: false, samples: 1, wallSeconds: 1,
            samplerCPUSeconds: 0)
        let load = LoadResult(
            target: .init(
                url: "http://127.0.0.1:1/json", method: "GET", connections: 1, threads: 1, keepAlive: true, tls: false),
            arrival: .init(model: "open", targetRate: rate, stages: nil), startedAt: "2026-01-02T03:04:05Z",
            warmupSeconds: 0, plannedSeconds: 1, measuredSeconds: 1, interrupted: false,
            requests: .init(completed: 100, unsent: 0, bytesSent: 0, bytesReceived: 0), achievedRate: rate,
            errors: .init(), errorRate: 0, latency: latency, serviceTime: latency, statusCodes: [:], series: [],
            generator: GeneratorCheck(
                cpuUserSeconds: 0, cpuSystemSeconds: 0, completed: 100, wallSeconds: 1, threads: 1, peakRSSBytes: 0,
                sendLag: .init(p50: 1, p99: 1, max: 1), queuedForConnection: 0, connectionsRequested: 1,
                connectionsEstablished: 1, targetRate: rate, achievedRate: rate),
            thresholds: [.init(expression: "p99<=20.00ms", actual: p99, limit: 20_000, passed: p99 <= 20_000)])
        return TrialMeasurement(
            variant: variant, repeatIndex: 1, offeredRate: rate, load: load, components: [], generator: usage)
    }
}
