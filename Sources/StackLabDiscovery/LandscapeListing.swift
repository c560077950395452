/// One entry of a `landscape.yml` as listed under a subcategory.
///
/// The same project may be listed more than once (in several subcategories, or once more under its own
/// category); `LandscapeItem` gathers the listings of one name.
public struct LandscapeListing: Sendable, Equatable {
    public var name: String
    public var category: String
    public var subcategory: String
    public var homepageURL: String?
    public var repoURL: String?
    /// The CNCF maturity, or `nil` for an item that is not a CNCF project.
    public var maturity: ProjectMaturity?
    public var description: String?
    /// Scalar values of the `extra` mapping (`accepted`, `graduated`, `incubating`, `archived`, ...).
    public var extra: [String: String]
    /// Line of the entry in its file, for messages.
    public var line: Int

    public init(
        name: String, category: String, subcategory: String, homepageURL: String? = nil, repoURL: String? = nil,
        maturity: ProjectMaturity? = nil, description: String? = nil, extra: [String: String] = [:], line: Int = 0
    ) {
        self.name = name
        self.category = category
        self.subcategory = subcategory
        self.homepageURL = homepageURL
        self.repoURL = repoURL
        self.maturity = maturity
        self.description = description
        self.extra = extra
        self.line = line
    }
}
