import Foundation
import StackLabTestSupport
import Testing

/// `stacklab pricing`: what a user reads before choosing a catalog.
struct PricingCommandTests {
    @Test func listShowsEveryShippedCatalogWithItsRates() throws {
        let outcome = try CommandRunner.run(["pricing", "list"])
        #expect(outcome.exitCode == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        for name in ["opencost-default", "aws-m7i-large", "aws-c7g-large", "aws-t3-medium", "gcp-e2-standard-2"] {
            #expect(lines.contains { $0.hasPrefix("  \(name) ") })
        }
        #expect(lines.contains { $0.contains("opencost-default") && $0.contains("$0.031611") && $0.contains("$0.12") })
        // The table lines up: every row of it is as wide as the header.
        let table = lines.prefix(6)
        #expect(Set(table.map(\.count)).count == 1)
    }

    @Test func showPrintsTheDerivedRatesAndTheSource() throws {
        let outcome = try CommandRunner.run(["pricing", "show", "aws-m7i-large"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.contains("$0.032809"))
        #expect(outcome.stdout.contains("karpenter-provider-aws"))
        #expect(outcome.stdout.contains("$0.1008/h for 2 vCPU and 8 GiB"))
    }

    @Test func aMalformedCatalogFileIsReportedWithLineAndKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).yaml")
        try """
        name: mine
        title: t
        source: s
        date: 2026-11-01
        cpu_per_vcpu_hour: cheap
        memory_per_gib_hour: 0.001
        storage_per_gb_month: 0.04
        egress_per_gb: 0.1
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try CommandRunner.run(["pricing", "show", file.path])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("\(file.path):5: cpu_per_vcpu_hour: expected a number, found 'cheap'"))
    }

    @Test func anUnknownCatalogNameListsTheShippedOnes() throws {
        let outcome = try CommandRunner.run(["pricing", "show", "aws-m7-large"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("did you mean 'aws-m7i-large'?"))
    }
}
