import Testing

@testable import StackLabDiscovery

struct SuggestionTests {
    static let shipped = LabInventory.shipped(examplesDirectory: Snapshots.examples)

    @Test func anArchivedProjectInTheInventoryIsSuggestedForRetirement() throws {
        // No kind StackLab ships is archived; Keptn was archived between the snapshots.
        var inventory = Self.shipped
        inventory.components.append(
            .init(kind: "keptn", landscapeName: "Keptn", role: .app, examples: ["examples/delivery.yaml"]))
        let suggestions = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: inventory).suggestions()
        let retire = suggestions.filter { $0.action == .retire }
        #expect(retire.map(\.name) == ["Keptn"])
        let keptn = try #require(retire.first)
        #expect(keptn.evidence.contains("maturity incubating → archived"))
        #expect(keptn.traction.movement < 0)
    }

    @Test func theShippedInventoryRetiresNothing() {
        let suggestions = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: Self.shipped)
            .suggestions()
        #expect(suggestions.allSatisfy { $0.action != .retire })
    }

    @Test func aRisingGatewayIsSuggestedForTheGatewaysExample() throws {
        let suggestions = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: Self.shipped)
            .suggestions()
        let higress = try #require(suggestions.first { $0.name == "Higress" })
        #expect(higress.action == .add)
        #expect(higress.example == "examples/gateways.yaml")
        #expect(higress.evidence.contains("maturity - → sandbox"))
        #expect(higress.traction.movement == 1.5)
        // Nothing the lab already runs is suggested.
        #expect(!suggestions.contains { ["Envoy", "NGINX", "PostgreSQL", "Prometheus"].contains($0.name) })
    }

    @Test func graduatedProjectsTheLabCannotRunAreToCompare() {
        let suggestions = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: Self.shipped)
            .suggestions()
        let compare = suggestions.filter { $0.action == .compare }
        #expect(!compare.isEmpty)
        #expect(compare.allSatisfy { $0.maturity == .graduated })
        #expect(compare.contains { $0.name == "Jaeger" })
    }

    @Test func tractionShowsEachTerm() throws {
        let kyverno = try #require(Snapshots.newer["Kyverno"])
        let traction = Traction(item: kyverno, newer: Snapshots.newer, older: Snapshots.older)
        #expect(traction.maturity == 3)
        #expect(traction.movement == 1.5)
        #expect(traction.novelty == 0)
        #expect(traction.formula.hasPrefix("maturity 3 + movement 1.5 + novelty 0 + youth 0 = 4.5"))
    }
}
