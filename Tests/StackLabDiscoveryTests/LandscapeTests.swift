import Foundation
import StackLabCore
import Testing

@testable import StackLabDiscovery

struct LandscapeTests {
    @Test func bothSnapshotsParseWithEveryItem() {
        #expect(Snapshots.older.items.count == 2351)
        #expect(Snapshots.newer.items.count == 2407)
        #expect(Snapshots.newer.categories.count == 15)
        #expect(Snapshots.older.date == "2025-08-28")
        #expect(Snapshots.newer.categories.map(\.name).contains("AI Native Infra"))
        #expect(Snapshots.older["Kyverno"]?.maturity == .incubating)
        #expect(Snapshots.newer["Kyverno"]?.maturity == .graduated)
        #expect(Snapshots.newer["Envoy"]?.subcategory == "Service Proxy")
        #expect(Snapshots.newer["Envoy"]?.repoURL == "https://github.com/envoyproxy/envoy")
        #expect(Snapshots.newer["Akri"]?.extra("accepted") == "2021-09-14")
        #expect(Snapshots.newer.items.count { $0.maturity == .graduated } >= 30)
    }

    @Test func diffBetweenTheSnapshotsGivesThePublishedCounts() {
        let diff = Snapshots.diff
        #expect(diff.added.count == 373)
        #expect(diff.removed.count == 317)
        #expect(diff.maturityChanges.count == 28)
        // Kgateway and Prometheus changed only in a second listing; the other 26 moved.
        #expect(diff.maturityMoves.count == 26)
        #expect(diff.maturityChange(of: "Kgateway")?.isListingOnly == true)
        for name in ["Kyverno", "Crossplane", "Knative", "Kubeflow", "Dragonfly"] {
            #expect(diff.maturityChange(of: name)?.to == .graduated, "\(name)")
        }
        #expect(diff.maturityChange(of: "Keptn")?.to == .archived)
        #expect(diff.byCategory.map(\.added).reduce(0, +) == 373)
        #expect(diff.byCategory.map(\.removed).reduce(0, +) == 317)
    }

    @Test func missingKeysAreTolerated() throws {
        let text = """
            landscape:
              - category:
                name: Orchestration & Management
                subcategories:
                  - subcategory:
                    name: API Gateway
                    items:
                      - item:
                        name: Bare
                      - item:
                        name: Full
                        project: Incubating
                        description: A gateway
                        extra:
                          accepted: '2025-01-02'
                      - item:
                        homepage_url: https://nameless.example
                  - subcategory:
                    name: Empty
              - category:
                name: No subcategories
            """
        let landscape = try Landscape.parse(text)
        #expect(landscape.items.map(\.name) == ["Bare", "Full"])
        #expect(landscape["Bare"]?.maturity == nil)
        #expect(landscape["Bare"]?.description == nil)
        #expect(landscape["Full"]?.maturity == .incubating)
        #expect(landscape["Full"]?.acceptedYear == 2025)
        #expect(landscape.categories.count == 2)
    }

    @Test func aFileThatIsNotALandscapeIsOneClearError() {
        #expect(throws: UserError("no 'landscape' list: not a CNCF landscape.yml")) { try Landscape.parse("a: 1") }
    }

    @Test func theShippedSnapshotIsTheNewerOne() throws {
        let path = try ShippedSnapshot.path()
        #expect(FileManager.default.contentsEqual(atPath: path, andPath: Snapshots.newerPath))
    }
}
