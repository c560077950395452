import Testing

@testable import StackLabCore

/// One experiment across databases: `protocol: sql` on postgres and mariadb entries, and workloads that run
/// only on the variants whose entry speaks their protocol.
struct CrossDatabaseSpecTests {
    static let yaml = """
        name: databases
        workloads:
          tpcb: { protocol: sql, transaction: tpcb, scale: 2, rate: 100 }
          ycsb: { protocol: redis, mix: ycsb-a, rate: 1000 }
          json: { path: /json, rate: 100 }
        components:
          pg: { kind: postgres }
          maria: { kind: mariadb }
          kv: { kind: redis }
          app: { kind: app, runtime: swift }
        variants:
          postgres: [pg]
          mariadb: [maria]
          redis: [kv]
          app: [app, pg]
        """

    @Test func eachWorkloadRunsOnTheVariantsWhoseEntrySpeaksIt() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.variantsByWorkload.map(\.name) == ["tpcb", "ycsb", "json"])
        #expect(spec.variantsByWorkload.map(\.variants) == [["postgres", "mariadb"], ["redis"], ["app"]])
        let tpcb = try #require(spec.workloads?.first).workload
        #expect(tpcb.wireProtocol == .sql)
        #expect(tpcb.sql?.scale == 2)
        // The same transactions at the same scale, spoken as each server's own protocol.
        #expect(tpcb.spoken(to: .postgres).wireProtocol == .postgres)
        #expect(tpcb.spoken(to: .mariadb).wireProtocol == .mysql)
        #expect(tpcb.spoken(to: .mariadb).sql == tpcb.sql)
        #expect(spec.workloads?[1].workload.spoken(to: .redis) == spec.workloads?[1].workload)
    }

    @Test func eachWorkloadsReportHoldsOnlyItsVariants() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.only(workload: "tpcb")?.variants.map(\.name) == ["postgres", "mariadb"])
        #expect(spec.only(workload: "ycsb")?.variants.map(\.name) == ["redis"])
    }

    @Test func aWorkloadThatRunsOnNoVariantIsAnErrorNamingIt() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "  redis: [kv]\n", with: "")
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(
            error.lines == [
                "e.yaml:4: workloads.ycsb: workload 'ycsb' (protocol redis) runs on no variant; add a variant that "
                    + "starts with a component of kind redis"
            ])
    }

    @Test func sqlTakesTheSQLKeysOnly() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "scale: 2,", with: "scale: 2, mix: ycsb-a,")
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix("e.yaml:3: workloads.tpcb.mix: not a key of protocol sql") })
    }

    @Test func aSingleWorkloadStillNeedsEveryVariantToSpeakIt() throws {
        let yaml = """
            name: one
            workload: { protocol: sql, transaction: point-select, rate: 100 }
            components:
              pg: { kind: postgres }
              kv: { kind: redis }
            variants:
              postgres: [pg]
              redis: [kv]
            """
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(
            error.lines == [
                "e.yaml:8: variants.redis: variant 'redis' starts with 'kv' (kind redis), which does not speak the "
                    + "workload's protocol sql; put a component of kind postgres or mariadb first"
            ])
    }
}
