/// What changed between two landscape snapshots.
///
/// Items are matched by name. An item listed under another category or subcategory in the newer snapshot is
/// *moved*, not removed and added. A renamed item cannot be told from a removal plus an addition, and counts as
/// both; when the removed and the added item share their repository URL the pair is shown as a likely rename.
public struct LandscapeDiff: Sendable {
    /// An item whose listed maturity differs between the snapshots.
    public struct MaturityChange: Sendable, Equatable {
        public var name: String
        public var category: String
        public var from: ProjectMaturity?
        public var to: ProjectMaturity?
        /// True when only the listings changed (a second listing gained or lost the maturity) and the
        /// item's own maturity did not move.
        public var isListingOnly: Bool { from == to }
    }

    /// An item listed elsewhere in the newer snapshot.
    public struct Move: Sendable, Equatable {
        public var name: String
        public var from: String
        public var to: String
    }

    public var older: Landscape
    public var newer: Landscape
    public var added: [LandscapeItem]
    public var removed: [LandscapeItem]
    public var maturityChanges: [MaturityChange]
    public var moves: [Move]
    /// Removed and added items that share a repository URL: (removed name, added name).
    public var likelyRenames: [(removed: String, added: String)]

    public init(from older: Landscape, to newer: Landscape) {
        self.older = older
        self.newer = newer
        added = newer.items.filter { older[$0.name] == nil }
        removed = older.items.filter { newer[$0.name] == nil }
        var changes: [MaturityChange] = []
        var moves: [Move] = []
        for item in newer.items {
            guard let before = older[item.name] else { continue }
            // The set of maturities across listings: a project whose second listing gains its maturity counts,
            // as the landscape's own change log does; `isListingOnly` tells those apart.
            if before.listedMaturities != item.listedMaturities {
                changes.append(
                    MaturityChange(name: item.name, category: item.category, from: before.maturity, to: item.maturity))
            }
            let fromPlace = "\(before.category) / \(before.subcategory)"
            let toPlace = "\(item.category) / \(item.subcategory)"
            if fromPlace != toPlace { moves.append(Move(name: item.name, from: fromPlace, to: toPlace)) }
        }
        maturityChanges = changes
        self.moves = moves
        var addedByRepo: [String: String] = [:]
        for item in added {
            if let repo = item.repoURL.map(Self.normalized) { addedByRepo[repo] = addedByRepo[repo] ?? item.name }
        }
        likelyRenames = removed.compactMap { item in
            guard let repo = item.repoURL.map(Self.normalized), let newName = addedByRepo[repo] else { return nil }
            return (item.name, newName)
        }
    }

    /// Maturity changes that moved the item itself (not only a second listing).
    public var maturityMoves: [MaturityChange] { maturityChanges.filter { !$0.isListingOnly } }

    /// The change for this name, if its maturity changed.
    public func maturityChange(of name: String) -> MaturityChange? { maturityChanges.first { $0.name == name } }

    /// Per category of the newer snapshot (then categories only the older one has): added, removed, maturity changes.
    public var byCategory: [(category: String, added: Int, removed: Int, maturityChanges: Int)] {
        var names = newer.categories.map(\.name)
        for category in older.categories where !names.contains(category.name) { names.append(category.name) }
        return names.map { name in
            (
                name, added.count { $0.category == name }, removed.count { $0.category == name },
                maturityChanges.count { $0.category == name }
            )
        }
    }

    static func normalized(_ url: String) -> String {
        var text = url.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        return text
    }
}
