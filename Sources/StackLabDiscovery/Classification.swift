/// The lab's area for one landscape item, and which layer decided it.
public struct Classification: Sendable, Equatable {
    /// The layer that gave the answer, first that answers wins.
    public enum Layer: String, Sendable, Equatable, CaseIterable {
        /// The explicit table of `AreaRules.overrides`.
        case override
        /// A keyword that decides over the category (`autoscaler`, `service mesh`, `gitops`).
        case keyword
        /// The landscape's own category and subcategory, mapped to an area.
        case category
        /// The naive Bayes classifier trained on the items the layers above labelled.
        case model
        /// The optional chat endpoint, asked instead of the model when configured; its answer is one of the
        /// allowed labels or it is not used.
        case chat
    }

    /// `nil` when no layer answered (a list of members or training partners, with no model to ask).
    public var area: LabArea?
    public var layer: Layer?
    /// The component kind StackLab runs for this item, or whose role it shares (a gateway, a database).
    public var kind: KindMatch?

    public init(area: LabArea?, layer: Layer?, kind: KindMatch? = nil) {
        self.area = area
        self.layer = layer
        self.kind = kind
    }
}
