import Foundation

/// A CNCF `landscape.yml`: categories, their subcategories, and the items listed in them.
public struct Landscape: Sendable {
    /// A category and the names of its subcategories, in file order.
    public struct Category: Sendable, Equatable {
        public var name: String
        public var subcategories: [String]
    }

    public var categories: [Category]
    /// Every entry as listed, in file order.
    public var listings: [LandscapeListing]
    /// One item per name, in the order of first listing.
    public let items: [LandscapeItem]
    /// The snapshot's date when known (from a `landscape-YYYY-MM-DD.yml` file name), else `nil`.
    public var date: String?
    private let index: [String: Int]

    public init(categories: [Category], listings: [LandscapeListing], date: String? = nil) {
        self.categories = categories
        self.listings = listings
        self.date = date
        var order: [String] = []
        var grouped: [String: [LandscapeListing]] = [:]
        for listing in listings {
            if grouped[listing.name] == nil { order.append(listing.name) }
            grouped[listing.name, default: []].append(listing)
        }
        items = order.map { LandscapeItem(name: $0, listings: grouped[$0]!) }
        index = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.name, $0) })
    }

    /// The item with this exact name.
    public subscript(name: String) -> LandscapeItem? { index[name].map { items[$0] } }

    /// Items whose first listing is in this category.
    public func items(inCategory category: String) -> [LandscapeItem] { items.filter { $0.category == category } }

    /// `2026-08-07` from `.../landscape-2026-08-07.yml`.
    static func date(fromFileName path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let range = name.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) else { return nil }
        return String(name[range])
    }
}
