import Testing

@testable import StackLabCore

struct PriceCatalogTests {
    @Test func everyShippedCatalogParsesAndNamesItsSource() throws {
        let names = PriceCatalogs.shipped.map(\.name)
        #expect(names == ["opencost-default", "aws-m7i-large", "aws-c7g-large", "aws-t3-medium", "gcp-e2-standard-2"])
        for catalog in PriceCatalogs.shipped {
            #expect(!catalog.source.isEmpty)
            #expect(catalog.date.count == 10)
        }
    }

    @Test func openCostDefaultsAreOpenCostsPublishedPrices() throws {
        let catalog = try PriceCatalogs.load(nameOrPath: "opencost-default")
        #expect(catalog.cpuPerVCPUHour == 0.031611)
        #expect(catalog.memoryPerGiBHour == 0.004237)
        #expect(catalog.storagePerGBMonth == 0.04)
        #expect(catalog.egressPerGB == 0.12)
        #expect(catalog.instance == nil)
    }

    @Test func instancePricesAreThePublishedOnes() throws {
        let prices = try ["aws-m7i-large", "aws-c7g-large", "aws-t3-medium", "gcp-e2-standard-2"].map {
            try #require(PriceCatalogs.load(nameOrPath: $0).instance?.dollarsPerHour)
        }
        #expect(prices == [0.1008, 0.0725, 0.0416, 0.067006])
    }

    @Test func aUsersCatalogWithExplicitRatesKeepsThem() throws {
        let yaml = """
            name: on-prem
            title: Our rack
            source: finance, 2026 budget
            date: 2026-11-01
            cpu_per_vcpu_hour: 0.02
            memory_per_gib_hour: 0.001
            storage_per_gb_month: 0.03
            egress_per_gb: 0
            """
        let catalog = try PriceCatalog(yaml: yaml, file: "on-prem.yaml")
        #expect(catalog.cpuPerVCPUHour == 0.02)
        #expect(catalog.egressPerGB == 0)
        #expect(catalog.currency == "USD")
    }

    @Test func aMalformedCatalogNamesFileLineAndKey() {
        let yaml = """
            name: broken
            title: t
            source: s
            date: 2026-11-01
            cpu_per_vcpu_hour: cheap
            memory_per_gib_hour: 0.001
            storage_per_gb_month: -1
            egress_per_gb: 0.1
            colour: red
            """
        #expect {
            try PriceCatalog(yaml: yaml, file: "broken.yaml")
        } throws: { error in
            let lines = (error as? SpecError)?.lines ?? []
            return lines == [
                "broken.yaml:5: cpu_per_vcpu_hour: expected a number, found 'cheap'",
                "broken.yaml:7: storage_per_gb_month: a price cannot be negative, found -1",
                "broken.yaml:9: colour: unknown key; expected one of name, title, source, date, currency, region, "
                    + "cpu_per_vcpu_hour, memory_per_gib_hour, storage_per_gb_month, egress_per_gb, cross_zone_egress_per_gb, "
                    + "instance",
            ]
        }
    }

    @Test func ratesOrAnInstanceAreRequired() {
        let yaml = """
            name: nothing
            title: t
            source: s
            date: 2026-11-01
            storage_per_gb_month: 0.04
            egress_per_gb: 0.1
            """
        #expect(throws: SpecError.self) { try PriceCatalog(yaml: yaml, file: "nothing.yaml") }
    }

    @Test func anUnknownNameSuggestsTheNearest() {
        #expect {
            try PriceCatalogs.load(nameOrPath: "aws-m7i-larg")
        } throws: { error in
            (error as? UserError)?.message.contains("did you mean 'aws-m7i-large'?") == true
        }
    }
}
