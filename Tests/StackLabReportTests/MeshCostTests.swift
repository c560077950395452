import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabReport

/// The mesh's cost in a report, from a synthesized run: a baseline, a sidecar mesh plain and with mutual TLS,
/// and an ambient-style mesh of node proxies. What each adds, the proxies' CPU and memory, the mTLS premium from
/// the pair that differs by it alone, what is missing, and the fleet's monthly price per pod and per node.
struct MeshCostTests {
    static let yaml = """
        name: mesh
        repeats: 4
        workload: { path: /json, rate: 1000/s, connections: 16 }
        components:
          app: { kind: app, runtime: swift }
          edge: { kind: envoy }
          app-proxy: { kind: envoy }
          node-a: { kind: node-proxy }
          node-b: { kind: node-proxy }
        variants:
          baseline: [app]
          sidecars:
            entry: edge
            hops: [edge -> app]
            sidecars: { app: app-proxy }
          sidecars-mtls:
            entry: edge
            hops: [edge -> app: mtls]
            sidecars: { app: app-proxy }
          ambient:
            entry: app
            node_proxies: { node-a: [client], node-b: [app] }
        """

    /// Added µs at p50/p90/p99 over the baseline, and the CPU seconds each proxy used in a 2 s window.
    static let added: [String: Double] = ["baseline": 0, "sidecars": 400, "sidecars-mtls": 700, "ambient": 250]
    static let proxyCPU = 0.3
    static let proxyPeakRSS = 30_000_000

    static func usage(_ cpu: Double, peak: Int) -> ResourceUsage {
        ResourceUsage(
            cpuUserSeconds: cpu, cpuSystemSeconds: 0, averageRSSBytes: peak, peakRSSBytes: peak,
            memoryGiBSeconds: 0.05, diskReadBytes: 0, diskWriteBytes: 0, diskCountersMissing: true, samples: 20,
            wallSeconds: 2, samplerCPUSeconds: 0.001)
    }

    static func record(variants: [String] = ["baseline", "sidecars", "sidecars-mtls", "ambient"]) throws -> RunRecord {
        var record = try RunRecordFixture.record(trials: 0)
        record.spec = try ExperimentSpec(yaml: yaml, file: "mesh.yaml")
        for variant in variants {
            let stack = try #require(record.spec.variants.first { $0.name == variant }).stack
            for repeatIndex in 1...4 {
                var trial = RunRecordFixture.trial(
                    variant: "direct", repeatIndex: repeatIndex, rate: 1_000, seed: repeatIndex)
                trial.variant = variant
                let extra = added[variant]! + Double(repeatIndex)
                trial.load.latency.p50 += extra
                trial.load.latency.p90 += extra
                trial.load.latency.p99 += extra
                trial.components = stack.map { name in
                    let kind = record.spec.component(named: name)!.kind.rawValue
                    return name == "app"
                        ? ComponentMeasurement(name: name, kind: kind, usage: usage(0.5, peak: 50_000_000))
                        : ComponentMeasurement(name: name, kind: kind, usage: usage(proxyCPU, peak: proxyPeakRSS))
                }
                record.trials.append(trial)
            }
        }
        return record
    }

    static func report(_ record: RunRecord) throws -> RunReport {
        RunReport(record: record, catalog: try PriceCatalogs.load(nameOrPath: "opencost-default"))
    }

    @Test func eachMeshVariantAddsItsLatencyAndItsProxiesCPUAndMemory() throws {
        let mesh = try Self.report(Self.record()).mesh
        #expect(mesh.baseline == "baseline")
        #expect(mesh.missing.isEmpty, "\(mesh.missing)")
        #expect(mesh.rows.map(\.layer.variant) == ["sidecars", "sidecars-mtls", "ambient"])
        let sidecars = try #require(mesh.rows.first)
        #expect(sidecars.placement == .perPod && sidecars.proxies == ["app-proxy"])
        #expect(abs(try #require(sidecars.layer.addedP90).value - 400) < 1e-9)
        #expect(abs(try #require(sidecars.layer.addedP99).value - 400) < 1e-9)
        // One proxy at 0.3 CPU-s over 2 s = 0.15 cores, at 495.25 requests/s achieved.
        let perThousand = Self.proxyCPU / 2 / 495.25 * 1_000
        #expect(abs(try #require(sidecars.proxyCoresPer1000RPS).value - perThousand) < 1e-9)
        let ambient = try #require(mesh.rows.last)
        #expect(ambient.placement == .perNode && ambient.proxies == ["node-a", "node-b"])
        // Two node proxies on a request's path: twice one's CPU; memory is one proxy's.
        #expect(abs(try #require(ambient.proxyCoresPer1000RPS).value - 2 * perThousand) < 1e-9)
        #expect(try #require(ambient.proxyMemoryBytes).value == Double(Self.proxyPeakRSS))
        #expect(try #require(ambient.layer.addedPerMillionRequests).value > 0)
    }

    @Test func theMTLSPremiumComesFromThePairThatDiffersByItAlone() throws {
        let premiums = try Self.report(Self.record()).mesh.premiums
        #expect(premiums.count == 1, "\(premiums.map(\.difference))")
        let premium = try #require(premiums.first)
        #expect(premium.difference == "mTLS (edge -> app: plain → mtls)")
        #expect(premium.layer.variant == "sidecars-mtls" && premium.layer.reference == "sidecars")
        #expect(abs(try #require(premium.layer.addedP99).value - 300) < 1e-9)
        #expect(abs(try #require(premium.addedProxyCoresPer1000RPS).value) < 1e-9)
    }

    @Test func aPolicysSettingsOnOneProxyAreItsOwnPremium() throws {
        var record = try Self.record(variants: [])
        record.spec = try ExperimentSpec(
            yaml: Self.yaml.replacingOccurrences(
                of: "  app-proxy: { kind: envoy }",
                with: "  app-proxy: { kind: envoy }\n  rbac-proxy: { kind: envoy, settings: { rbac_rules: 1000 } }"
            ).replacingOccurrences(
                of: "  ambient:\n",
                with: "  rbac:\n    entry: edge\n    hops: [edge -> app: mtls]\n    sidecars: { app: rbac-proxy }\n"
                    + "  ambient:\n"), file: "mesh.yaml")
        let difference = MeshDifference.between(
            try #require(record.spec.variants.first { $0.name == "rbac" }),
            try #require(record.spec.variants.first { $0.name == "sidecars-mtls" }), in: record.spec)
        #expect(difference == "policy (rbac-proxy rbac_rules: unset → 1000)")
        // Two things at once (transport and policy) make no premium.
        #expect(
            MeshDifference.between(
                try #require(record.spec.variants.first { $0.name == "rbac" }),
                try #require(record.spec.variants.first { $0.name == "sidecars" }), in: record.spec) == nil)
    }

    @Test func everyFormatShowsTheMeshAndJSONLeavesItOutWithoutOne() throws {
        let report = try Self.report(Self.record())
        let text = TextReportRenderer().render(report)
        #expect(text.contains("what the mesh adds") && text.contains("mesh premiums, each on its own"))
        #expect(text.contains("1 per-node") == false && text.contains("2 per-node"))
        let markdown = MarkdownReportRenderer().render(report)
        #expect(markdown.contains("What the mesh costs") && markdown.contains("mTLS (edge -&gt; app: plain → mtls)"))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("id=\"mesh\"") && html.contains("proxy vCPU/1000 rps"))
        let json = try JSONReportRenderer().render(report)
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        let mesh = try #require(document.mesh)
        #expect(mesh.variants.map(\.placement) == ["per-pod", "per-pod", "per-node"])
        #expect(mesh.premiums.first?.reference == "sidecars")
        let plain = try JSONReportRenderer().render(try RunFixture.report(RunFixture.record(rates: [1_000])))
        #expect(!plain.contains("\"mesh\""))
    }

    @Test func aMissingBaselineOrVariantIsSaid() throws {
        let report = try Self.report(Self.record(variants: ["sidecars", "ambient"]))
        // The proxies were measured, so their CPU and memory stand; nothing is added to an absent baseline.
        #expect(report.mesh.rows.map(\.layer.variant) == ["sidecars", "ambient"])
        #expect(report.mesh.rows.allSatisfy { $0.layer.addedP99 == nil && $0.proxyCoresPer1000RPS != nil })
        #expect(report.mesh.missing.contains("the baseline 'baseline' has no trials, so nothing is added to it"))
        #expect(report.mesh.missing.contains("variant 'sidecars-mtls' has no trials: its mesh was not measured"))
        #expect(ReportTables.meshNote(report)?.contains("Missing: the baseline 'baseline' has no trials") == true)
        let worth = MeshWorth(report, fleet: MeshFleet(services: 40, requestsPerSecond: 200))
        #expect(worth.lines.count == 2 && worth.lines.allSatisfy { $0.addedP99 == nil })
        #expect(!worth.text.contains(" p99 (measured"))
        #expect(worth.text.contains("missing: the baseline 'baseline' has no trials"))
    }

    @Test func aFleetBeyondTheRatesMeasuredIsSaidToBeExtrapolated() throws {
        let report = try Self.report(Self.record())
        // 40 services at 200 rps: 8,000 rps in all against trials at 1,000/s; a node proxy carries 10 pods' 2,000.
        let large = MeshWorth(report, fleet: MeshFleet(services: 40, requestsPerSecond: 200, podsPerNode: 10))
        let ambient = try #require(large.lines.last)
        #expect(ambient.extrapolation.isExtrapolated && ambient.extrapolation.ratePerProxy == 2_000)
        #expect(large.lines.allSatisfy { $0.extrapolation.isExtrapolated })
        #expect(
            large.text.contains(
                "extrapolated beyond the rates measured: the fleet's 8,000 rps in all is 8.0× the highest rate "
                    + "measured (1,000/s)"), "\(large.text)")
        #expect(
            large.text.contains(
                "each node proxy would carry 2,000 rps, above the highest rate one was measured at (1,000/s)"))
        #expect(!large.text.contains("each sidecar would carry"))
        // Within what was measured: 2 services at 200 rps, 400 rps in all and on the one node proxy.
        let small = MeshWorth(report, fleet: MeshFleet(services: 2, requestsPerSecond: 200, podsPerNode: 10))
        #expect(small.lines.count == 3 && small.lines.allSatisfy { !$0.extrapolation.isExtrapolated })
        #expect(!small.text.contains("extrapolated"), "\(small.text)")
    }

    @Test func theFleetIsPricedPerPodForSidecarsAndPerNodeForNodeProxies() throws {
        let report = try Self.report(Self.record())
        let catalog = try #require(report.catalog)
        let fleet = MeshFleet(services: 40, requestsPerSecond: 200, replicas: 1, podsPerNode: 10)
        let worth = MeshWorth(report, fleet: fleet)
        #expect(worth.lines.map(\.variant) == ["sidecars", "sidecars-mtls", "ambient"])
        let sidecars = try #require(worth.lines.first).cost
        let ambient = try #require(worth.lines.last).cost
        #expect(sidecars.proxies == 40 && ambient.proxies == 4)
        // 8000 requests/s in all: 8 × the path's vCPU per 1000 rps.
        let perThousand = Self.proxyCPU / 2 / 495.25 * 1_000
        #expect(abs(sidecars.vcpus - 8 * perThousand) < 1e-9 && abs(ambient.vcpus - 16 * perThousand) < 1e-9)
        let gib = Double(Self.proxyPeakRSS) / 1_073_741_824
        let expected =
            (8 * perThousand * catalog.cpuPerVCPUHour + 40 * gib * catalog.memoryPerGiBHour)
            * PriceCatalog.hoursPerMonth
        #expect(abs(sidecars.dollarsPerMonth - expected) < 1e-9)
        #expect(ambient.memoryGiB < sidecars.memoryGiB)
        #expect(worth.text.contains("sidecars: the mesh costs $"))
        #expect(worth.text.contains("a month for your 40 services at 200 rps each (40 sidecars, one per pod"))
        #expect(worth.text.contains("(4 node proxies, 10 pods per node"))
        #expect(
            worth.text.contains("+400µs p99 (measured at 1000/s)") || worth.text.contains("p99 (measured at 1,000/s)"))
    }
}
