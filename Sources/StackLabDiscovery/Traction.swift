import Foundation

/// How much traction an item shows, from what the landscape snapshots say, each term kept to be shown.
///
/// score = maturity + movement + novelty + youth, where
/// - maturity: sandbox 1, incubating 2, graduated 3, archived -2, not a CNCF project 0;
/// - movement (two snapshots): +1.5 per step up the ladder (none → sandbox → incubating → graduated) since the
///   older snapshot, -1.5 per step down, -3 for a project archived since;
/// - novelty: +1 for an item new in the newer snapshot;
/// - youth: +0.5 for a CNCF project accepted in the snapshot's year or the one before.
/// When GitHub was queried (`adding(_:)`): + stars (log10(1 + stars) / 2) + releases (0.5 for a release in the
/// last 90 days); otherwise `note` says the score is from the snapshots only.
public struct Traction: Sendable, Equatable {
    public var maturity: Double
    public var movement: Double
    public var novelty: Double
    public var youth: Double
    /// From GitHub when it was queried: log10(1 + stars) / 2.
    public var stars: Double?
    /// From GitHub when it was queried: 0.5 for at least one release in the last 90 days.
    public var releases: Double?
    /// What the score could not use.
    public var note: String

    public var score: Double { maturity + movement + novelty + youth + (stars ?? 0) + (releases ?? 0) }

    /// Rising: climbed the ladder, new in the landscape, or newly accepted, and not archived.
    public var isRising: Bool { maturity >= 0 && movement >= 0 && (movement > 0 || novelty > 0 || youth > 0) }

    public static let offlineNote = "snapshots only: GitHub not queried (no network), its terms left out"

    /// The traction of `item` in `newer`, with `older` (when given) for movement and novelty.
    public init(item: LandscapeItem, newer: Landscape, older: Landscape?) {
        maturity = Self.maturityTerm(item.maturity)
        movement = 0
        novelty = 0
        if let older {
            if let before = older[item.name] {
                movement = Self.movementTerm(from: before.maturity, to: item.maturity)
            } else {
                novelty = 1
            }
        }
        let year = newer.date.flatMap { Int($0.prefix(4)) }
        youth = 0
        if let year, let accepted = item.acceptedYear, item.maturity != .archived, year - accepted <= 1 { youth = 0.5 }
        note = Self.offlineNote
    }

    /// The same traction with GitHub's terms added.
    public func adding(_ activity: GitHubActivity) -> Traction {
        var traction = self
        traction.stars = log10(1 + Double(activity.stars)) / 2
        traction.releases = activity.releasesIn90Days > 0 ? 0.5 : 0
        traction.note = "snapshots and GitHub"
        return traction
    }

    static func maturityTerm(_ maturity: ProjectMaturity?) -> Double {
        switch maturity {
        case nil: 0
        case .sandbox: 1
        case .incubating: 2
        case .graduated: 3
        case .archived: -2
        }
    }

    static func movementTerm(from: ProjectMaturity?, to: ProjectMaturity?) -> Double {
        if to == .archived { return from == .archived ? 0 : -3 }
        let ladder: (ProjectMaturity?) -> Int = { $0 == nil || $0 == .archived ? 0 : $0!.rank }
        return 1.5 * Double(ladder(to) - ladder(from))
    }

    /// `maturity 3 + movement 1.5 + novelty 0 + youth 0 = 4.5`.
    public var formula: String {
        "maturity \(Self.text(maturity)) + movement \(Self.text(movement)) + novelty \(Self.text(novelty)) "
            + "+ youth \(Self.text(youth))"
            + (stars.map { " + stars \(Self.text($0))" } ?? "")
            + (releases.map { " + releases \(Self.text($0))" } ?? "")
            + " = \(Self.text(score))"
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
