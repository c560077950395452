/// A technology of the landscape: every listing with one name.
///
/// Items are told apart by name, as the landscape itself does (a name is unique except for a project listed
/// in several places, which is one item). Its first listing gives its category and subcategory.
public struct LandscapeItem: Sendable, Equatable {
    public var name: String
    public var listings: [LandscapeListing]

    public init(name: String, listings: [LandscapeListing]) {
        precondition(!listings.isEmpty, "an item has at least one listing")
        self.name = name
        self.listings = listings
    }

    public var category: String { listings[0].category }
    public var subcategory: String { listings[0].subcategory }

    /// The maturity of the first listing that states one (a second listing usually omits it).
    public var maturity: ProjectMaturity? { listings.lazy.compactMap(\.maturity).first }

    /// Every maturity the listings state, `nil` included for a listing that states none.
    public var listedMaturities: Set<ProjectMaturity?> { Set(listings.map(\.maturity)) }

    public var description: String? { listings.lazy.compactMap(\.description).first }
    public var homepageURL: String? { listings.lazy.compactMap(\.homepageURL).first }
    public var repoURL: String? { listings.lazy.compactMap(\.repoURL).first }

    /// A value of the `extra` mapping, from the first listing that has it.
    public func extra(_ key: String) -> String? { listings.lazy.compactMap { $0.extra[key] }.first }

    /// The year the CNCF accepted the project (`extra.accepted`), if it says.
    public var acceptedYear: Int? { extra("accepted").flatMap { Int($0.prefix(4)) } }
}
