import Foundation

/// How much traction an item shows, from what the landscape snapshots say, each term kept to be shown.
///
/// score = maturity + movement + novelty + youth, where
/// - maturity: sandbox 1, incubating 2, graduated 3, archived -2, not a CNCF project 0;
/// - movement (two snapshots): +1.5 per step up the ladder (none → sandbox → incubating → graduated) since the
///   older snapshot, -1.5 per step down, -3 for a project archived since;
/// - novelty: +1 for an item new in the newer snapshot;
/// - youth: +0.5 for a CNCF project accepted in the snapshot's year or the one before.
/// When GitHub was queried (`adding(_:)`), over the last 90 days: + stars (log10(1 + stars) / 2) + new stars
/// (log10(1 + stars given) / 2) + commits (log10(1 + commits) / 4) + contributors (log10(1 + authors) / 2)
/// + releases (0.5 for a release); otherwise `note` says the score is from the snapshots only.
/// With feeds (`adding(news:)`): + news (1 for an announced graduation, incubation or sandbox entry, 0.25 per
/// release announced, at most 0.5 of those).
public struct Traction: Sendable, Equatable {
    public var maturity: Double
    public var movement: Double
    public var novelty: Double
    public var youth: Double
    /// From GitHub when it was queried: log10(1 + stars) / 2.
    public var stars: Double?
    /// From GitHub when it was queried: log10(1 + stars given in the last 90 days) / 2.
    public var newStars: Double?
    /// From GitHub when it was queried: log10(1 + commits in the last 90 days) / 4.
    public var commits: Double?
    /// From GitHub when it was queried: log10(1 + authors of a commit in the last 90 days) / 2.
    public var contributors: Double?
    /// From GitHub when it was queried: 0.5 for at least one release in the last 90 days.
    public var releases: Double?
    /// From the feeds when some were read: 1 for an announced maturity step (graduation, incubation, sandbox),
    /// plus 0.25 per release announced (at most 0.5), in the 90 days before the run.
    public var news: Double?
    /// What the score could not use.
    public var note: String

    public var score: Double {
        maturity + movement + novelty + youth
            + [stars, newStars, commits, contributors, releases, news].reduce(0) { $0 + ($1 ?? 0) }
    }

    /// Rising: climbed the ladder, new in the landscape, newly accepted or announced a maturity step in a feed,
    /// and not archived.
    public var isRising: Bool {
        maturity >= 0 && movement >= 0 && (movement > 0 || novelty > 0 || youth > 0 || (news ?? 0) >= 1)
    }

    public static let offlineNote = "snapshots only: GitHub not asked or not answering, its terms left out"

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
        traction.newStars = activity.newStars.map { log10(1 + Double($0)) / 2 }
        traction.commits = activity.commits.map { log10(1 + Double($0)) / 4 }
        traction.contributors = activity.contributors.map { log10(1 + Double($0)) / 2 }
        traction.releases = activity.releasesIn90Days > 0 ? 0.5 : 0
        traction.note = "snapshots and GitHub"
        return traction
    }

    /// The same traction with the news term of these announcements (those naming the item).
    public func adding(news announcements: [Announcement]) -> Traction {
        var traction = self
        let steps = announcements.contains { $0.kind.isMaturityStep }
        let releases = announcements.count { $0.kind == .release }
        traction.news = (steps ? 1 : 0) + min(0.5, 0.25 * Double(releases))
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
            + [
                ("stars", stars), ("new stars", newStars), ("commits", commits), ("contributors", contributors),
                ("releases", releases), ("news", news),
            ].compactMap { name, value in value.map { " + \(name) \(Self.text($0))" } }.joined()
            + " = \(Self.text(score))"
    }

    /// `3`, `1.5`, `0.25`, `1.81`: at most two decimals, trailing zeros left out.
    static func text(_ value: Double) -> String {
        guard value != value.rounded() else { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
