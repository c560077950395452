import Foundation
import Testing

@testable import StackLabDiscovery

struct NewsTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-01T00:00:00Z")!
    static let inventory = LabInventory.shipped(examplesDirectory: Snapshots.examples)

    static func suggestions(_ announcements: [Announcement]) -> [Suggestion] {
        Suggester(
            newer: Snapshots.newer, older: Snapshots.older, inventory: inventory, announcements: announcements,
            now: now
        ).suggestions()
    }

    @Test func anAnnouncedGraduationMakesAGatewayRisingWithTheAnnouncementAsEvidence() throws {
        // Contour (incubating, unchanged between the snapshots) is not rising on the snapshots alone.
        #expect(!Self.suggestions([]).contains { $0.name == "Contour" })
        let announcements = [
            Announcement(
                title: "Contour graduates from the CNCF", link: "https://www.cncf.io/announcements/contour",
                date: "Tue, 10 Nov 2026 12:00:00 +0000", source: "cncf-blog"),
            Announcement(
                title: "v1.33.0", link: "https://github.com/projectcontour/contour/releases/tag/v1.33.0",
                date: "2026-11-20T00:00:00Z", source: "contour-releases.atom"),
        ]
        let contour = try #require(Self.suggestions(announcements).first { $0.name == "Contour" })
        #expect(contour.action == .add)
        #expect(contour.example == "examples/gateways.yaml")
        // 1 for the graduation, 0.25 for the release (matched by its link into the project's repository).
        #expect(contour.traction.news == 1.25)
        #expect(contour.traction.formula.contains("+ news 1.25 = "))
        #expect(
            contour.evidence.contains(
                #"announced "Contour graduates from the CNCF" (cncf-blog, Tue, 10 Nov 2026 12:00:00 +0000)"#))
    }

    @Test func oldOrUnrelatedAnnouncementsDoNotCount() throws {
        let announcements = [
            // Older than 90 days before the run.
            Announcement(title: "Contour graduates", link: nil, date: "2026-03-01T00:00:00Z", source: "blog"),
            // Not a name: a word in lower case.
            Announcement(title: "How to spin up a cluster", link: nil, date: "2026-11-20T00:00:00Z", source: "blog"),
        ]
        let suggester = Suggester(
            newer: Snapshots.newer, older: Snapshots.older, inventory: Self.inventory, announcements: announcements,
            now: Self.now)
        #expect(suggester.traction(of: Snapshots.newer["Contour"]!).news == 0)
        #expect(suggester.traction(of: Snapshots.newer["Spin"]!).news == 0)
        // Without feeds the term is left out, not zero.
        let offline = Suggester(newer: Snapshots.newer, older: Snapshots.older, inventory: Self.inventory)
        #expect(offline.traction(of: Snapshots.newer["Contour"]!).news == nil)
    }

    @Test func announcementKindsAndNames() {
        let item = Snapshots.newer["Open Policy Agent (OPA)"]!
        let graduation = Announcement(
            title: "Open Policy Agent graduates", link: nil, date: "Tue, 10 Mar 2026 12:00:00 +0000", source: "s")
        #expect(graduation.kind == .graduation && graduation.names(item))
        #expect(graduation.parsedDate == ISO8601DateFormatter().date(from: "2026-03-10T12:00:00Z"))
        #expect(
            Announcement(title: "Higress joins the CNCF sandbox", link: nil, date: nil, source: "s").kind == .sandbox)
        #expect(Announcement(title: "v2.1.0", link: nil, date: nil, source: "s").kind == .release)
        #expect(Announcement(title: "KubeCon recap", link: nil, date: nil, source: "s").kind == .other)
        #expect(
            !Announcement(title: "Kyvernos and more", link: nil, date: nil, source: "s").names(
                Snapshots.newer["Kyverno"]!))
    }
}
