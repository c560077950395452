/// What the lab should do about one technology, with the reason and the evidence behind it.
public struct Suggestion: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable, CaseIterable {
        /// A rising technology in a role the lab measures peers in: add it to that example.
        case add
        /// A graduated project in an area the lab covers that StackLab cannot run yet.
        case compare
        /// A component the lab runs whose project was archived.
        case retire
    }

    public var action: Action
    public var name: String
    public var area: LabArea?
    public var maturity: ProjectMaturity?
    public var traction: Traction
    /// One sentence a person can act on.
    public var reason: String
    /// The facts behind it (`maturity incubating → graduated`, `listed in Service Proxy`).
    public var evidence: [String]
    /// The example file it belongs in, for an addition.
    public var example: String?
    /// True for an item new in the newer snapshot or whose maturity moved: the radar's `isNew`.
    public var isNew: Bool
    public var homepageURL: String?
    public var description: String?
}
