import Foundation
import StackLabCore

/// Compares the landscape with the lab's inventory and says what to add, compare and retire.
public struct Suggester: Sendable {
    public var newer: Landscape
    public var older: Landscape?
    public var inventory: LabInventory
    public var classifier: AreaClassifier
    /// Feed entries (blog posts, releases): those naming an item in the 90 days before `now` add to its traction
    /// (the news term) and show as evidence.
    public var announcements: [Announcement]
    public var now: Date

    public init(
        newer: Landscape, older: Landscape?, inventory: LabInventory, announcements: [Announcement] = [],
        now: Date = Date()
    ) {
        self.newer = newer
        self.older = older
        self.inventory = inventory
        self.announcements = announcements
        self.now = now
        classifier = AreaClassifier(landscape: newer)
    }

    /// The item's traction from the snapshots, with the news term when feeds were read.
    public func traction(of item: LandscapeItem) -> Traction {
        let traction = Traction(item: item, newer: newer, older: older)
        guard !announcements.isEmpty else { return traction }
        return traction.adding(news: Announcement.naming(item, in: announcements, now: now))
    }

    /// `announced "Kyverno graduates" (cncf-blog, Tue, 10 Mar 2026 12:00:00 +0000)` for each feed entry naming
    /// the item.
    func newsEvidence(_ item: LandscapeItem) -> [String] {
        guard !announcements.isEmpty else { return [] }
        return Announcement.naming(item, in: announcements, now: now).prefix(3).map {
            "announced \"\($0.title)\" (\([$0.source, $0.date].compactMap { $0 }.joined(separator: ", ")))"
        }
    }

    /// The area each role belongs to, for inventory components the landscape does not list.
    static func area(of role: ComponentRole) -> LabArea? {
        switch role {
        case .gateway: .traffic
        case .database, .cache: .data
        case .broker: .messaging
        case .metrics: .observability
        case .app: .runtimes
        }
    }

    /// The lab's areas: where it runs at least one component.
    public var coveredAreas: Set<LabArea> { Set(inventory.components.compactMap { Self.area(of: $0.role) }) }

    /// Retirements first, then comparisons and additions, each by traction (highest first), then name.
    public func suggestions() -> [Suggestion] {
        var result: [Suggestion] = []
        for component in inventory.components {
            guard let item = newer[component.landscapeName], item.maturity == .archived else { continue }
            var evidence = ["maturity \(older?[item.name]?.maturity.label ?? "?") → archived"]
            if let date = item.extra("archived") { evidence.append("archived \(date)") }
            if !component.examples.isEmpty { evidence.append("used in \(component.examples.joined(separator: ", "))") }
            result.append(
                suggestion(
                    .retire, item,
                    reason: "the lab runs \(component.kind) but its project \(item.name) was archived: retire it",
                    evidence: evidence, example: component.examples.first))
        }
        var compare: [Suggestion] = []
        var add: [Suggestion] = []
        for item in newer.items where inventory.component(named: item.name) == nil {
            let classification = classifier.classify(item, inventory: inventory)
            guard let area = classification.area else { continue }
            let traction = self.traction(of: item)
            if item.maturity == .graduated, coveredAreas.contains(area) {
                var evidence = ["graduated", "listed in \(item.category) / \(item.subcategory)"]
                if let since = item.extra("graduated") { evidence.append("graduated \(since)") }
                evidence += newsEvidence(item)
                compare.append(
                    suggestion(
                        .compare, item,
                        reason:
                            "graduated CNCF project in \(area.title), an area the lab covers; StackLab cannot run it yet",
                        evidence: evidence, example: nil, traction: traction, area: area))
            } else if traction.isRising, case .peerOf(let role) = classification.kind {
                let peers = inventory.components(in: role).filter(\.isMeasured)
                guard let example = Self.example(measuring: peers) else { continue }
                let names = peers.map(\.kind).joined(separator: ", ")
                add.append(
                    suggestion(
                        .add, item,
                        reason: "rising \(role.rawValue) (traction \(Traction.text(traction.score))); the lab measures "
                            + "\(peers.count) peer(s) (\(names)): add it to \(example)",
                        evidence: risingEvidence(item), example: example, traction: traction, area: area))
            }
        }
        let order: (Suggestion, Suggestion) -> Bool = {
            $0.traction.score != $1.traction.score ? $0.traction.score > $1.traction.score : $0.name < $1.name
        }
        return result + compare.sorted(by: order) + add.sorted(by: order)
    }

    /// The example that measures the most of these peers (the shorter name on a tie: `gateways.yaml` before
    /// `gateways-handshake.yaml`).
    static func example(measuring peers: [LabInventory.Component]) -> String? {
        let counts = Dictionary(peers.flatMap(\.examples).map { ($0, 1) }, uniquingKeysWith: +)
        return counts.keys.sorted {
            (counts[$0]!, -$0.count, $1) > (counts[$1]!, -$1.count, $0)
        }.first
    }

    private func risingEvidence(_ item: LandscapeItem) -> [String] {
        var evidence = ["listed in \(item.category) / \(item.subcategory)"]
        if let older {
            if let before = older[item.name] {
                if before.maturity != item.maturity {
                    evidence.append("maturity \(before.maturity.label) → \(item.maturity.label)")
                }
            } else {
                evidence.append("new since \(older.date ?? "the older snapshot")")
            }
        }
        if let accepted = item.extra("accepted") { evidence.append("accepted by the CNCF \(accepted)") }
        return evidence + newsEvidence(item)
    }

    private func suggestion(
        _ action: Suggestion.Action, _ item: LandscapeItem, reason: String, evidence: [String], example: String?,
        traction: Traction? = nil, area: LabArea? = nil
    ) -> Suggestion {
        let before = older?[item.name]
        let isNew = older != nil && (before == nil || before?.maturity != item.maturity)
        return Suggestion(
            action: action, name: item.name, area: area ?? classifier.classify(item).area, maturity: item.maturity,
            traction: traction ?? self.traction(of: item), reason: reason,
            evidence: evidence, example: example, isNew: isNew, homepageURL: item.homepageURL,
            description: item.description)
    }
}
