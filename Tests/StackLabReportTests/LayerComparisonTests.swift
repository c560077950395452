import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabReport

/// What each layer adds: the numbers a gateway comparison is read from.
struct LayerComparisonTests {
    static let yaml = """
        name: gateways
        repeats: 4
        slo: { p99: 20ms }
        workload: { path: /json, rate: 500/s }
        components:
          app: { kind: app, runtime: swift }
          nginx: { kind: nginx }
          nginx-tls: { kind: nginx, tls: true }
        variants:
          direct: [app]
          nginx: [nginx, app]
          nginx-tls: [nginx-tls, app]
        """

    /// `repeats` per variant; the gateway adds `added` µs to p50 and p99, TLS adds `tls` more.
    static func record(added: Double, tls: Double, repeats: Int = 4) throws -> RunRecord {
        var record = try RunRecordFixture.record(trials: 0)
        record.spec = try ExperimentSpec(yaml: yaml, file: "gateways.yaml")
        for (variant, extra) in [("direct", 0.0), ("nginx", added), ("nginx-tls", added + tls)] {
            for repeatIndex in 1...repeats {
                var trial = RunRecordFixture.trial(
                    variant: variant == "direct" ? "direct" : "nginx", repeatIndex: repeatIndex, rate: 500,
                    seed: repeatIndex)
                trial.variant = variant
                if variant == "nginx-tls" { trial.components[0].name = "nginx-tls" }
                trial.load.latency.p50 += extra
                trial.load.latency.p99 += extra
                record.trials.append(trial)
            }
        }
        return record
    }

    @Test func aGatewayAddsWhatItsTrialsShowAndTLSAddsItsShare() throws {
        let record = try Self.record(added: 300, tls: 150)
        let comparison = LayerComparison(
            record, costs: RunCosts.price(record, catalog: try PriceCatalogs.load(nameOrPath: "opencost-default")))
        #expect(comparison.baseline == "direct")
        #expect(comparison.againstBaseline.map(\.variant) == ["nginx", "nginx-tls"])
        let nginx = try #require(comparison.againstBaseline.first)
        #expect(nginx.addedComponents == ["nginx"])
        #expect(abs(try #require(nginx.addedP50).value - 300) < 1e-9)
        #expect(try #require(nginx.addedP99).excludesZero)
        // nginx used 0.28 CPU-s (user + system) over 2 s while serving 495.25/s: 0.14 cores, 0.283 per 1000 rps.
        #expect(abs(try #require(nginx.coresPer1000RPS).value - 0.28 / 2.0001 / 495.25 * 1_000) < 1e-6)
        #expect(try #require(nginx.addedPerMillionRequests).value > 0)
        let premium = try #require(comparison.tlsPremium.first)
        #expect(premium.variant == "nginx-tls" && premium.reference == "nginx")
        #expect(abs(try #require(premium.addedP99).value - 150) < 1e-9)
    }

    @Test func theTablesCarryTheDifferencesAndAVerdict() throws {
        let report = RunReport(
            record: try Self.record(added: 300, tls: 0), catalog: try PriceCatalogs.load(nameOrPath: "opencost-default")
        )
        let layers = try #require(ReportTables.layers(report))
        let nginx = try #require(layers.rows.first { $0.first == "nginx" })
        #expect(nginx[3].hasPrefix("+300µs ["))
        #expect(layers.header[3] == "+p50 [97.1% CI]")
        // Four trials each, every nginx p99 above every direct one: p = 2/70.
        #expect(nginx.last == "slower (p=0.03)")
        let tls = try #require(ReportTables.tlsPremium(report))
        #expect(tls.rows.first?.last?.hasPrefix("within noise (p=") == true)
        let text = TextReportRenderer().render(report)
        #expect(text.contains("what each variant adds to direct"))
        #expect(text.contains("what TLS adds to the same stack"))
    }

    /// With 3 repeats no test at 5% can call a difference, however large: no faster or slower, and no interval
    /// that claims 95%. (Before, TLS could come out "faster" on 1 repeat.)
    @Test func tooFewRepeatsGiveNoVerdictAndNoInterval() throws {
        for repeats in [1, 3] {
            let report = RunReport(
                record: try Self.record(added: -3_000, tls: 5_000, repeats: repeats),
                catalog: try PriceCatalogs.load(nameOrPath: "opencost-default"))
            let layers = try #require(ReportTables.layers(report))
            #expect(layers.rows.allSatisfy { $0.last == "n too small for a verdict" }, "\(repeats)")
            #expect(layers.header[3] == "+p50 (no interval)")
            #expect(layers.rows.allSatisfy { !$0[3].contains("[") })
            let tls = try #require(ReportTables.tlsPremium(report))
            #expect(tls.rows.allSatisfy { $0.last == "n too small for a verdict" })
            let text = TextReportRenderer().render(report)
            #expect(!text.contains("faster") && !text.contains("slower"))
            #expect(!text.contains("95% CI"))
        }
    }
}
